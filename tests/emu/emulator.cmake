# The CUDA emulator build (SEGMINT_CUDA=EMULATOR): segmint's kernels, CUDA host code and GPU tests compiled
# by the host C++ compiler against tests/emu's runtime, which runs them on the CPU as a checker. Included by
# cmake/SegmintCuda.cmake. Never installed or shipped: nothing here has an install() rule.
find_package(Boost 1.71 REQUIRED COMPONENTS context)
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(SEGMINT_EMU_DIR ${CMAKE_CURRENT_LIST_DIR})

add_library(segmint_emu STATIC
  ${SEGMINT_EMU_DIR}/src/device.cpp
  ${SEGMINT_EMU_DIR}/src/memory.cpp
  ${SEGMINT_EMU_DIR}/src/streams.cpp
  ${SEGMINT_EMU_DIR}/src/fiber.cpp
  ${SEGMINT_EMU_DIR}/src/scheduler.cpp
  ${SEGMINT_EMU_DIR}/src/shared_memory.cpp
  ${SEGMINT_EMU_DIR}/src/blas.cpp
)
target_include_directories(segmint_emu PUBLIC ${SEGMINT_EMU_DIR}/include)
target_link_libraries(segmint_emu PUBLIC Boost::context Threads::Threads PRIVATE segmint_host_flags segmint_warnings)
target_compile_features(segmint_emu PUBLIC cxx_std_20)
if(SEGMINT_SANITIZE MATCHES "thread")
  # The emulator's own bookkeeping is shared by the fibers by design (they never run at once); TSan is
  # told about the real orderings through its fiber and acquire/release annotations instead.
  get_target_property(segmint_emu_sources segmint_emu SOURCES)
  set_source_files_properties(${segmint_emu_sources} PROPERTIES COMPILE_OPTIONS "-fno-sanitize=thread")
endif()

# The toolkit's targets, as the rest of the build names them.
foreach(lib cudart cublas)
  add_library(CUDA::${lib} INTERFACE IMPORTED GLOBAL)
  set_target_properties(CUDA::${lib} PROPERTIES INTERFACE_LINK_LIBRARIES segmint_emu)
endforeach()

# segmint_emulated_kernels(TARGET a.cu b.cu ...): the .cu files rewritten (launches and __shared__
# declarations only, see rewrite_cu.py) and compiled as C++ with FMA contraction on, as nvcc does.
function(segmint_emulated_kernels target)
  set(generated)
  foreach(cu ${ARGN})
    get_filename_component(name ${cu} NAME)
    get_filename_component(source ${cu} ABSOLUTE)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/emulated/${name}.cpp)
    add_custom_command(OUTPUT ${out}
      COMMAND ${Python3_EXECUTABLE} ${SEGMINT_EMU_DIR}/rewrite_cu.py ${source} ${out}
      DEPENDS ${source} ${SEGMINT_EMU_DIR}/rewrite_cu.py
      COMMENT "Rewriting ${name} for the CUDA emulator" VERBATIM)
    list(APPEND generated ${out})
  endforeach()
  add_library(${target} STATIC ${generated})
  target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${target} PUBLIC segmint_emu PRIVATE segmint_host_flags)
  target_compile_options(${target} PRIVATE -ffp-contract=fast -Wno-unknown-pragmas)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()
