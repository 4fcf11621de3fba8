; Windows installer for Assessor: wraps the one-folder PyInstaller bundle into setup.exe.
;
; Built by `python packaging/build.py --installer`, which passes:
;   VERSION          the version from pyproject.toml (shown to the user)
;   VERSION_NUMERIC  the same as four numbers, for the file's version resource
;   BUNDLE           the bundle folder (dist\assessor-app)
;   OUTFILE          the setup.exe to write
;   UNCOMPRESSED     (optional) store the files uncompressed: a quick check of the script
; By hand: makensis /DVERSION=0.1.0 /DBUNDLE=..\..\dist\assessor-app assessor.nsi
;
; Per-user (no administrator rights; %LOCALAPPDATA%\Programs\Assessor) or per-machine
; (Program Files, for every account) install, chosen on a page or with /CurrentUser or
; /AllUsers on the command line (with /S for a silent install). Start-menu shortcut and
; an uninstaller listed in Apps & features. The uninstaller removes the program only:
; each user's records (%LOCALAPPDATA%\Assessor: database, evidence files, backups, logs)
; stay where they are.

Unicode true
!ifdef UNCOMPRESSED
  ; A quick compile that checks the script (CI): the payload is stored, not compressed.
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef VERSION_NUMERIC
  !define VERSION_NUMERIC "0.0.0.0"
!endif
!ifndef BUNDLE
  !define BUNDLE "..\..\dist\assessor-app"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\assessor-app-${VERSION}-setup.exe"
!endif

!define APP_NAME "Assessor"
!define PUBLISHER "Assessor"
!define GUI_EXE "Assessor.exe"
!define CLI_EXE "assessor-app.exe"
!define APP_KEY "Software\Assessor"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Assessor"
; platformdirs' user data folder for the app: never installed into, never removed.
!define DATA_DIR "$LOCALAPPDATA\Assessor"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
BrandingText "${APP_NAME} ${VERSION}"

; MultiUser.nsh: install for the current user or for all users, and elevate only for
; the latter. It also puts the install folder and mode in the registry for upgrades and
; the uninstaller.
!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_INSTALLMODE_INSTDIR "${APP_NAME}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${APP_KEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallDir"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "${APP_KEY}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallMode"
!if ${NSIS_PTR_SIZE} == 4
  ; A 64-bit bundle: 64-bit Program Files even from the 32-bit installer stub.
  !define MULTIUSER_USE_PROGRAMFILES64
!endif
!include MultiUser.nsh
!include MUI2.nsh
!include LogicLib.nsh
!include x64.nsh

!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "This installs ${APP_NAME} ${VERSION}, records for health and \
social care apprenticeships.$\r$\n$\r$\nThe program works offline and needs nothing else \
installed. Your records are kept in your own data folder and are not touched by installing, \
upgrading or uninstalling."
!define MUI_FINISHPAGE_SHOWREADME ""
!define MUI_FINISHPAGE_SHOWREADME_NOTCHECKED
!define MUI_FINISHPAGE_SHOWREADME_TEXT "Create a desktop shortcut"
!define MUI_FINISHPAGE_SHOWREADME_FUNCTION CreateDesktopShortcut

!insertmacro MUI_PAGE_WELCOME
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE CheckInstallFolder
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION_NUMERIC}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${PUBLISHER}"

Function .onInit
  !insertmacro MULTIUSER_INIT
FunctionEnd

Function un.onInit
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

; The records folder is not a program folder: installing there would mix the two, and an
; uninstall would then be asked to remove the folder that holds the database.
Function CheckInstallFolder
  ${If} ${FileExists} "$INSTDIR\assessor.sqlite3"
  ${OrIf} $INSTDIR == "${DATA_DIR}"
    MessageBox MB_OK|MB_ICONEXCLAMATION "$INSTDIR holds Assessor's records. Choose another \
folder for the program, for example $LOCALAPPDATA\Programs\${APP_NAME}."
    Abort
  ${EndIf}
FunctionEnd

Function CreateDesktopShortcut
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}"
FunctionEnd

Section "Assessor" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the library folder whole, so no file of an older version lingers.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" \
    "$INSTDIR\${GUI_EXE}" 0 SW_SHOWNORMAL "" "Records for health and social care apprenticeships"

  WriteRegStr SHCTX "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr SHCTX "${APP_KEY}" "InstallMode" "$MultiUser.InstallMode"
  WriteRegStr SHCTX "${APP_KEY}" "Version" "${VERSION}"

  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" \
    '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" \
    '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  ; Only what the installer put there: the program, never the records folder.
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR" ; only when empty: anything the user put there stays

  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  DeleteRegKey SHCTX "${APP_KEY}"
  DetailPrint "Your records in ${DATA_DIR} have been kept."
SectionEnd
