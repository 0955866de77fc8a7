# One static library per layer and per module, each linking only what it
# declares. Includes follow the same direction: a folder may include its own
# headers and those of the folders its declared dependencies may include, and
# nothing else. cmake/check_includes.cmake enforces it before a target
# compiles, so an include against the direction fails the build.
#
#   xh_layer(<folder> [SOURCES a.cpp …] [DEPS <folder> …] [LIBS <imported target> …])
#
# creates the target xh_<folder> from src/<folder>/*.cpp (or SOURCES).

function(xh_layer folder)
  cmake_parse_arguments(L "" "TARGET" "SOURCES;DEPS;LIBS" ${ARGN})
  set(target xh_${folder})
  if(L_TARGET)
    set(target ${L_TARGET})
  endif()
  set(dir ${CMAKE_SOURCE_DIR}/src/${folder})
  if(L_SOURCES)
    list(TRANSFORM L_SOURCES PREPEND ${dir}/)
    set(sources ${L_SOURCES})
  else()
    file(GLOB sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  endif()
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  set(allowed ${folder})
  foreach(dep ${L_DEPS})
    target_link_libraries(${target} PUBLIC xh_${dep})
    get_property(dep_allowed GLOBAL PROPERTY XH_ALLOWED_${dep})
    list(APPEND allowed ${dep_allowed})
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  set_property(GLOBAL PROPERTY XH_ALLOWED_${folder} ${allowed})
  if(L_LIBS)
    target_link_libraries(${target} PUBLIC ${L_LIBS})
  endif()

  # The include check, once per folder (http holds two targets).
  get_property(checked GLOBAL PROPERTY XH_CHECKED_${folder})
  if(NOT checked)
    set_property(GLOBAL PROPERTY XH_CHECKED_${folder} TRUE)
    file(GLOB files CONFIGURE_DEPENDS ${dir}/*.h ${dir}/*.cpp ${dir}/*.def)
    string(REPLACE ";" "," allowed_arg "${allowed}")
    set(stamp ${CMAKE_BINARY_DIR}/layers/${folder}.ok)
    add_custom_command(
      OUTPUT ${stamp}
      COMMAND ${CMAKE_COMMAND} -DDIR=${dir} -DFOLDER=${folder} -DALLOWED=${allowed_arg}
              -DSTAMP=${stamp} -P ${CMAKE_SOURCE_DIR}/cmake/check_includes.cmake
      DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/check_includes.cmake
      COMMENT "Checking the includes of src/${folder}")
    add_custom_target(check_${folder} DEPENDS ${stamp})
    set_property(GLOBAL PROPERTY XH_CHECK_TARGET_${folder} check_${folder})
  endif()
  get_property(check GLOBAL PROPERTY XH_CHECK_TARGET_${folder})
  add_dependencies(${target} ${check})
endfunction()

# A domain module: a folder named in src/app/modules.def, whose own
# CMakeLists.txt calls xh_module(<folder> DEPS …).
function(xh_module folder)
  xh_layer(${folder} ${ARGN})
  set_property(GLOBAL APPEND PROPERTY XH_MODULE_TARGETS xh_${folder})
  set_property(GLOBAL APPEND PROPERTY XH_MODULE_FOLDERS ${folder})
endfunction()

# The modules of src/app/modules.def, in its order.
function(xh_read_modules out)
  file(STRINGS ${CMAKE_SOURCE_DIR}/src/app/modules.def lines REGEX "^XH_MODULE\\(")
  set(names "")
  foreach(line ${lines})
    string(REGEX REPLACE "^XH_MODULE\\(([a-z_0-9]+)\\).*" "\\1" name "${line}")
    list(APPEND names ${name})
  endforeach()
  set(${out} ${names} PARENT_SCOPE)
endfunction()
