# cmake/packaging.cmake - the Debian package, made by CPack:
#
#   cmake --build build && cd build && cpack -G DEB
#
# gives sctpu_<version>-<release>_<arch>.deb holding everything that
# `cmake --install` installs (the binary and its links, the man pages and
# completions, the docs below) under /usr. Depends is computed by
# dpkg-shlibdeps from what the binary really links (libusrsctp2,
# libevent-core-2.1-7, libmimalloc2.0 when linked), never written by hand.
# The files Debian wants besides are in packaging/: copyright (DEP-5),
# changelog.Debian.in and lintian-overrides.
include(GNUInstallDirs)

# Directories made by the install get 755 whatever the builder's umask
# (lintian: non-standard-dir-perm); files already get 644/755 from
# install(). Included before add_subdirectory, so every install() sees it.
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE
    GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(SCTPU_DEB_MAINTAINER "sctpu developers <dev@sctpu.invalid>" CACHE STRING
    "Maintainer of the Debian package (cpack -G DEB)")
set(SCTPU_DEB_RELEASE 1 CACHE STRING
    "Debian revision of the package: version ${PROJECT_VERSION}-<this>")

# Docs, the copyright file, a Debian changelog and lintian's overrides.
# Harmless in a plain `cmake --install`; they matter in the package.
file(GLOB SCTPU_DOC_PAGES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${SCTPU_DOC_PAGES}
              ${PROJECT_SOURCE_DIR}/packaging/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/packaging/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides
        RENAME ${PROJECT_NAME})

# changelog.Debian.gz: a non-native package (version with a revision)
# must carry one (lintian: no-changelog). Its one entry names the version
# being built, so it never falls behind project(VERSION). The date honours
# SOURCE_DATE_EPOCH; gzip -9n: best compression, no name or time stamp
# inside, as lintian checks. Made here, as its only input is configured.
set(SCTPU_DEB_VERSION ${PROJECT_VERSION}-${SCTPU_DEB_RELEASE})
string(TIMESTAMP SCTPU_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${PROJECT_SOURCE_DIR}/packaging/changelog.Debian.in
               ${PROJECT_BINARY_DIR}/changelog.Debian @ONLY)
execute_process(COMMAND gzip -9n -c
                INPUT_FILE ${PROJECT_BINARY_DIR}/changelog.Debian
                OUTPUT_FILE ${PROJECT_BINARY_DIR}/changelog.Debian.gz
                RESULT_VARIABLE sctpu_gzip_rc)
if(NOT sctpu_gzip_rc EQUAL 0)
    message(FATAL_ERROR "gzip changelog.Debian failed: ${sctpu_gzip_rc}")
endif()
install(FILES ${PROJECT_BINARY_DIR}/changelog.Debian.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ${PROJECT_NAME})
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${SCTPU_DEB_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "SCTP test tools over UDP encapsulation, without kernel SCTP")
set(CPACK_PACKAGE_DESCRIPTION
    "sctpu runs SCTP in userspace (usrsctp) over UDP encapsulation (RFC 6951),
so it needs no sctp.ko, and its traffic crosses Docker bridges, overlays,
published ports and NAT like any other UDP traffic.

sctpu-echo is an echo server and client that verifies every echo and
reports RTT percentiles. sctpu-perf is an iperf3-like throughput tester
for SCTP: many streams and associations, PR-SCTP, verified data and
JSON reports.")
set(CPACK_DEBIAN_PACKAGE_RELEASE ${SCTPU_DEB_RELEASE})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # sctpu_0.1.0-1_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from dpkg-shlibdeps (Debian's dpkg-dev) on the installed binary.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# sctpu-plot and sctpu-sweep are Python scripts, which dpkg-shlibdeps does
# not see: they need python3, and sctpu-plot draws with matplotlib (without
# it, both say so; sctpu-sweep --no-plot still writes its CSV).
if(SCTPU_TOOLS)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3")
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-matplotlib")
endif()
# Strip the installed executables (lintian: unstripped-binary-or-object).
set(CPACK_STRIP_FILES ON)
# Control files 644 (md5sums, ...) as Debian policy has them.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
