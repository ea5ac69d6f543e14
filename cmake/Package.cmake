# Installation layout and the Debian package (scripts/package.sh runs cpack -G DEB).
#   /usr/bin/xiehui                       the server
#   /usr/share/xiehui/ui/                 the built web UI (web/ui/dist; found by web::locate_ui)
#   /lib/systemd/system/xiehui.service    the hardened unit
#   /etc/xiehui/xiehui.json               the configuration (a conffile)
#   /usr/share/doc/xiehui/                README, DEPLOY.md, DESIGN.md, API.md
# The postinst makes the xiehui system user, /var/lib/xiehui and the first admin's password.
include(GNUInstallDirs)

install(TARGETS xiehui RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The UI is built by npm (scripts/package.sh builds it first); without it the package would
# serve the placeholder page, so a missing build fails the install step.
install(CODE "
  if(NOT EXISTS \"${PROJECT_SOURCE_DIR}/web/ui/dist/index.html\")
    message(FATAL_ERROR \"web/ui/dist is not built: run npm run build in web/ui first\")
  endif()")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/ui/dist/ DESTINATION ${CMAKE_INSTALL_DATADIR}/xiehui/ui)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/xiehui.service DESTINATION /lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/xiehui.json DESTINATION /etc/xiehui)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/DEPLOY.md
              ${PROJECT_SOURCE_DIR}/docs/DESIGN.md ${PROJECT_SOURCE_DIR}/docs/API.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME xiehui)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "xiehui maintainers <xiehui@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Membership, dues, training, meetings and visits for an association of development zones")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies from the binary's own links (dpkg-shlibdeps), plus what the scripts use.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mariadb-server, nginx")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_OUTPUT_FILE_PREFIX ${PROJECT_BINARY_DIR}/package)
include(CPack)
