# prongsai_pure_library(<target>)
# Declares <target> a pure (domain) library: after it is linked, every one of
# its sources is checked for the headers it pulls in (scripts/lib/
# check_layer.py), and the build fails when one of them is gRPC, Redis,
# storage or the server, even through another header. Use it for the
# `prongsai_<service>_domain` libraries; link them only to
# prongsai_proto_messages, prongsai_base, prongsai_thai and
# prongsai_api_fields.
find_package(Python3 REQUIRED COMPONENTS Interpreter)

function(prongsai_pure_library target)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND Python3::Interpreter
            ${PROJECT_SOURCE_DIR}/scripts/lib/check_layer.py
            --database ${CMAKE_BINARY_DIR}/compile_commands.json
            --library $<TARGET_FILE:${target}>
            --source-dir ${CMAKE_CURRENT_SOURCE_DIR}
            --sources "$<TARGET_PROPERTY:${target},SOURCES>"
            --layer "${target}"
    COMMENT "Checking that ${target} includes only pure layers"
    VERBATIM)
endfunction()
