# Compile options shared by every segmint target, as INTERFACE targets linked PRIVATE.
add_library(segmint_warnings INTERFACE)
target_compile_options(segmint_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wno-missing-field-initializers>
  $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>>:-Wno-restrict>)

add_library(segmint_host_flags INTERFACE)
if(SEGMINT_NATIVE)
  target_compile_options(segmint_host_flags INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-march=native>)
endif()
if(SEGMINT_SANITIZE)
  target_compile_options(segmint_host_flags INTERFACE
    $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=${SEGMINT_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all>)
  target_link_options(segmint_host_flags INTERFACE -fsanitize=${SEGMINT_SANITIZE})
endif()
