# Opt-in recipe (-DSCTPU_BUNDLED_USRSCTP=ON): build usrsctp as a static
# library from a pinned upstream commit instead of using the system's
# libusrsctp (Debian's 0.9.5.0). No usrsctp source is kept in this repository;
# FetchContent clones it at configure time, or uses an existing tree given as
# -DFETCHCONTENT_SOURCE_DIR_USRSCTP=/path/to/usrsctp (offline builds).
#
# Provides the same interface as the pkg-config branch of the top-level
# CMakeLists.txt:
#   sctpu::usrsctp         target to link (static usrsctp + threads)
#   SCTPU_USRSCTP_VERSION  string printed by --version, ends in "(bundled)"
#
# Included from the top-level CMakeLists.txt, so it runs in that scope. All
# settings meant for usrsctp alone are made inside a function and so do not
# leak into the rest of the build.

include_guard(GLOBAL)
include(FetchContent)
find_package(Threads REQUIRED)

# The pin. The full 40-hex commit id is the integrity check: git verifies
# it, and no tarball hash could be verified when this was written.
#   fd070e05a7474f38c7fecdf4d4b6005d2547ee00
#   committed 2025-10-16 20:51:48 +0200, "Fix build with MinGW (#730)"
#   git describe: 0.9.5.0-254-gfd070e05 (254 commits after the 0.9.5.0 tag,
#   so it contains e.g. 0ed173a0, the TCB-lock fix for issue #587)
# To move the pin: update the two variables below and the README.
# The repository may be pointed at a mirror holding the same commit.
set(SCTPU_USRSCTP_GIT_REPOSITORY "https://github.com/sctplab/usrsctp.git"
    CACHE STRING "Git repository the bundled usrsctp is cloned from")
set(SCTPU_USRSCTP_GIT_COMMIT "fd070e05a7474f38c7fecdf4d4b6005d2547ee00")
set(SCTPU_USRSCTP_GIT_COMMIT_DATE "2025-10-16")

FetchContent_Declare(usrsctp
    GIT_REPOSITORY "${SCTPU_USRSCTP_GIT_REPOSITORY}"
    GIT_TAG        "${SCTPU_USRSCTP_GIT_COMMIT}"
    GIT_SUBMODULES ""
)

function(_sctpu_add_bundled_usrsctp)
    # usrsctp's own options. Its CMakeLists declares cmake_minimum_required
    # below 3.13, where option() would ignore (and drop) normal variables;
    # CMP0077 NEW makes option() honour the values set here without writing
    # anything into the cache.
    set(CMAKE_POLICY_DEFAULT_CMP0077 NEW)
    set(sctp_build_programs OFF)
    set(sctp_build_fuzzer OFF)
    set(sctp_build_shared_lib OFF)
    set(sctp_werror OFF)
    set(sctp_invariants OFF)
    # sctp_debug only compiles in the SCTPDBG printouts (off at run time
    # until usrsctp_sysctl_set_sctp_debug_on()). Debian builds with it (its
    # libusrsctp2 exports usrsctp_sysctl_{get,set}_sctp_debug_on), so keep
    # it on to offer the same API as the system library.
    set(sctp_debug ON)
    set(sctp_inet ON)
    set(sctp_inet6 ON)
    set(sctp_sanitizer_address OFF)
    set(sctp_sanitizer_memory OFF)
    set(SCTP_USE_MBEDTLS_SHA1 OFF)
    set(BUILD_SHARED_LIBS OFF)

    # Older trees (0.9.5.0) say cmake_minimum_required(VERSION 3.0), which
    # CMake >= 4 rejects unless this is set. Ignored by older CMake.
    set(CMAKE_POLICY_VERSION_MINIMUM 3.5)

    # usrsctp defaults to a DEBUG (-g, unoptimised) build when no build type
    # is set; build it like a distribution package instead.
    if(NOT CMAKE_CONFIGURATION_TYPES AND NOT CMAKE_BUILD_TYPE)
        set(CMAKE_BUILD_TYPE RelWithDebInfo)
    endif()

    # usrsctp picks its own language standard (-std=c99 + _GNU_SOURCE).
    unset(CMAKE_C_STANDARD)
    unset(CMAKE_C_STANDARD_REQUIRED)
    unset(CMAKE_C_EXTENSIONS)

    # Our warning set (-Wall -Wextra -Wshadow ... and -Werror under
    # SCTPU_WERROR) and sanitizer flags live in this directory's
    # COMPILE_OPTIONS, which a subdirectory inherits when it is created.
    # Third-party code must not fail our -Werror, so give usrsctp's
    # directory tree an empty set and restore ours afterwards. Also drop any
    # -Werror a user put into CMAKE_C_FLAGS (function scope: usrsctp only).
    get_directory_property(_sctpu_saved_options COMPILE_OPTIONS)
    set_directory_properties(PROPERTIES COMPILE_OPTIONS "")
    foreach(_cfg "" _DEBUG _RELEASE _RELWITHDEBINFO _MINSIZEREL)
        string(REGEX REPLACE "(^| )-Werror(=[^ ]*)?" " "
               CMAKE_C_FLAGS${_cfg} "${CMAKE_C_FLAGS${_cfg}}")
    endforeach()

    FetchContent_MakeAvailable(usrsctp)

    set_directory_properties(PROPERTIES COMPILE_OPTIONS
                             "${_sctpu_saved_options}")

    if(NOT TARGET usrsctp)
        message(FATAL_ERROR
            "bundled usrsctp: ${usrsctp_SOURCE_DIR} did not define the "
            "'usrsctp' library target")
    endif()

    # Not part of 'all' (only what sctpu links gets built) and not part of
    # 'make install' (usrsctp's own install() rules would otherwise install
    # libusrsctp.a and usrsctp.h next to our binaries).
    set_property(DIRECTORY "${usrsctp_SOURCE_DIR}" PROPERTY EXCLUDE_FROM_ALL TRUE)

    # Our code sees usrsctp.h alone, copied into a folder of its own:
    # usrsctplib/ also holds usrsctp's internal netinet/sctp.h, which would
    # shadow the system's <netinet/sctp.h> that the kernel backend
    # includes. It is a third-party header, so it is included as a system
    # header (our warnings do not apply to it), as with the system library.
    set(_sctpu_usrsctp_inc "${CMAKE_BINARY_DIR}/usrsctp-include")
    configure_file("${usrsctp_SOURCE_DIR}/usrsctplib/usrsctp.h"
                   "${_sctpu_usrsctp_inc}/usrsctp.h" COPYONLY)
    set_property(TARGET usrsctp PROPERTY INTERFACE_INCLUDE_DIRECTORIES "")

    add_library(sctpu_bundled_usrsctp INTERFACE)
    target_link_libraries(sctpu_bundled_usrsctp INTERFACE usrsctp Threads::Threads)
    target_include_directories(sctpu_bundled_usrsctp SYSTEM INTERFACE
                               "${_sctpu_usrsctp_inc}")
    # Debian's usrsctp.pc passes -DINET -DINET6 to users; do the same.
    target_compile_definitions(sctpu_bundled_usrsctp INTERFACE INET INET6)
    add_library(sctpu::usrsctp ALIAS sctpu_bundled_usrsctp)

    # Version string for --version.
    set(_sctpu_upstream_version "")
    if(EXISTS "${usrsctp_SOURCE_DIR}/usrsctplib/CMakeLists.txt")
        file(STRINGS "${usrsctp_SOURCE_DIR}/usrsctplib/CMakeLists.txt"
             _sctpu_version_line REGEX "^set\\(VERSION \"[^\"]+\"\\)")
        if(_sctpu_version_line MATCHES "\"([^\"]+)\"")
            set(_sctpu_upstream_version "${CMAKE_MATCH_1}")
        endif()
    endif()
    if(FETCHCONTENT_SOURCE_DIR_USRSCTP)
        if(_sctpu_upstream_version)
            set(_sctpu_v "${_sctpu_upstream_version}, local source tree (bundled)")
        else()
            set(_sctpu_v "local source tree (bundled)")
        endif()
        message(STATUS "usrsctp: bundled static build from local source tree "
                       "${FETCHCONTENT_SOURCE_DIR_USRSCTP} (commit pin not used)")
    else()
        string(SUBSTRING "${SCTPU_USRSCTP_GIT_COMMIT}" 0 12 _sctpu_short)
        set(_sctpu_v "git ${_sctpu_short} ${SCTPU_USRSCTP_GIT_COMMIT_DATE} (bundled)")
        message(STATUS "usrsctp: bundled static build of upstream commit "
                       "${SCTPU_USRSCTP_GIT_COMMIT} (${SCTPU_USRSCTP_GIT_COMMIT_DATE})")
    endif()
    set(SCTPU_USRSCTP_VERSION "${_sctpu_v}" PARENT_SCOPE)
endfunction()

_sctpu_add_bundled_usrsctp()
