# prongsai_embed_files(<target> NAMESPACE <ns> FUNCTION <name> HEADER <h>
#                      FILES <file>...)
# Adds to <target> a generated source defining
#   std::vector<std::pair<std::string, std::string>> <ns>::<name>()
# that returns (file name, text) of each file, regenerated when one changes.
function(prongsai_embed_files target)
  cmake_parse_arguments(ARG "" "NAMESPACE;FUNCTION;HEADER" "FILES" ${ARGN})
  set(output ${CMAKE_CURRENT_BINARY_DIR}/${ARG_FUNCTION}_embed.cc)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} "-DINPUTS=${ARG_FILES}" -DOUTPUT=${output}
            -DNAMESPACE=${ARG_NAMESPACE} -DFUNCTION=${ARG_FUNCTION}
            -DHEADER=${ARG_HEADER}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${ARG_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${ARG_FUNCTION}"
    VERBATIM)
  target_sources(${target} PRIVATE ${output})
endfunction()
