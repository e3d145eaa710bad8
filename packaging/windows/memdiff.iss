; Inno Setup script: the Windows installer for memdiff (needs Inno Setup 6.3+ on Windows).
;
; Build the bundle first (dist\memdiff\ from packaging\pyinstaller\memdiff.spec), then:
;   iscc packaging\windows\memdiff.iss
; which writes dist\memdiff-<version>-setup.exe. See packaging\README.md for signing.
;
; The installer asks whether to install for the current user only (no administrator
; rights needed, the default: paralegals rarely have them) or for all users; it adds
; a Start menu entry, opens .memdiff case files with memdiff, and uninstalls cleanly.

#define AppName "memdiff"
#define BundleDir AddBackslash(SourcePath) + "..\..\dist\memdiff"
; The version comes from the bundle: the spec stamps memdiff.exe with pyproject.toml's version.
; `iscc /DAppVersion=1.2.3 ...` overrides it.
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(BundleDir + "\memdiff.exe", "ProductVersion")
#endif
#if AppVersion == ""
  #error dist\memdiff\memdiff.exe is missing or carries no version: build the bundle with PyInstaller first.
#endif

[Setup]
; The AppId identifies memdiff to Windows across versions (upgrades, uninstall): never change it.
AppId={{9CD48905-524C-44B0-B2D0-FBDFDFDD9064}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The memdiff developers
AppComments=Shows whether and where an AI model's output reproduces an original work.
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user by default; the dialog (or /ALLUSERS on the command line) installs for all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
UninstallDisplayIcon={app}\memdiff-gui.exe
UninstallDisplayName={#AppName} {#AppVersion}
SetupIconFile=memdiff.ico
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir=..\..\dist
OutputBaseFilename=memdiff-{#AppVersion}-setup
; Signing: define a sign tool named "signtool" in the Inno Setup IDE (Tools > Configure
; Sign Tools) or pass /Ssigntool="..." to iscc, then uncomment the next two lines.
; SignTool=signtool
; SignedUninstaller=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: memdiff.exe (command line), memdiff-gui.exe (window), _internal\.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle's libraries wholesale, so files a new version no longer ships do not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\memdiff-gui.exe"; Comment: "Compare an AI output with an original work"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\memdiff-gui.exe"; Tasks: desktopicon

[Registry]
; .memdiff case files open in memdiff. HKA is HKCU for a per-user and HKLM for an all-users install.
Root: HKA; Subkey: "Software\Classes\.memdiff"; ValueType: string; ValueName: ""; ValueData: "memdiff.Case"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.memdiff\OpenWithProgids"; ValueType: string; ValueName: "memdiff.Case"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\memdiff.Case"; ValueType: string; ValueName: ""; ValueData: "memdiff case"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\memdiff.Case\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\memdiff-gui.exe,0"
Root: HKA; Subkey: "Software\Classes\memdiff.Case\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\memdiff-gui.exe"" --case ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\memdiff-gui.exe\SupportedTypes"; ValueType: string; ValueName: ".memdiff"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\memdiff-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
