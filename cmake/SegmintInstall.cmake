# `cmake --install`: the segmint program, the CPU library as segmint::segmint (static, with the public headers
# in include/segmint) and a package configuration, so another project writes
#   find_package(segmint 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE segmint::segmint)
# (examples/library). The CUDA and MPI parts are linked into the program only; the library runs on the CPU.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS segmint RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS segmint_core EXPORT segmintTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/segmint DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
set(segmint_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/segmint)
install(EXPORT segmintTargets NAMESPACE segmint:: DESTINATION ${segmint_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/segmintConfig.cmake.in ${PROJECT_BINARY_DIR}/segmintConfig.cmake
                              INSTALL_DESTINATION ${segmint_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/segmintConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/segmintConfig.cmake ${PROJECT_BINARY_DIR}/segmintConfigVersion.cmake
        DESTINATION ${segmint_cmake_dir})
