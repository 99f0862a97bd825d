; Inno Setup script for RegenLog: a per-user install that needs no administrator rights.
;
;   iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\RegenLog packaging\windows\regenlog.iss
;
; (packaging/build.py --package runs this on Windows.) The program (RegenLog.exe, and
; regenlog-cli.exe for the command line) goes to
; %LOCALAPPDATA%\Programs\RegenLog. The patient's records live in %LOCALAPPDATA%\RegenLog, a
; different folder that this installer never writes and its uninstaller never removes:
; uninstalling deletes only the files it installed.

; The release builds with one Inno Setup version, pinned in .github/workflows/release.yml;
; ArchitecturesAllowed=x64compatible below needs 6.3 or newer.
#if VER < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (the release uses the version pinned in release.yml)
#endif

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir AddBackslash(SourcePath) + "..\..\dist\RegenLog"
#endif
#define RepoRoot AddBackslash(SourcePath) + "..\.."

[Setup]
; The AppId identifies RegenLog across versions (upgrades replace, not duplicate): never change it.
AppId={{CC5916AB-BFCB-4DBA-A503-B53EE00ACE11}
AppName=RegenLog
AppVersion={#AppVersion}
AppVerName=RegenLog {#AppVersion}
AppPublisher=RegenLog
AppComments=Keeps the paperwork that gets cash-paid regenerative-medicine care reimbursed.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\RegenLog
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
SetupIconFile={#RepoRoot}\resources\icons\app.ico
UninstallDisplayIcon={app}\RegenLog.exe
UninstallDisplayName=RegenLog
OutputBaseFilename=RegenLog-{#AppVersion}-windows-setup
Compression=lzma2/max
SolidCompression=yes
; An open RegenLog holds its files: ask to close it before replacing them.
CloseApplications=yes
RestartApplications=no

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program folder's libraries as a whole, so no file of an older
; version lingers. Only inside {app}; the data folder is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\RegenLog"; Filename: "{app}\RegenLog.exe"; Comment: "Your regenerative-care paperwork"
Name: "{autodesktop}\RegenLog"; Filename: "{app}\RegenLog.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\RegenLog.exe"; Description: "{cm:LaunchProgram,RegenLog}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section, on purpose: the uninstaller removes exactly what [Files]
; installed, and never %LOCALAPPDATA%\RegenLog (the records, documents and backups) nor the
; window settings in %APPDATA%\RegenLog.

[Code]
function DataFolder(): String;
begin
  Result := ExpandConstant('{localappdata}\RegenLog');
end;

{ Installing the program into the data folder would mix the two; refuse that choice. }
function NextButtonClick(CurPageID: Integer): Boolean;
var
  Chosen: String;
begin
  Result := True;
  if CurPageID = wpSelectDir then
  begin
    Chosen := RemoveBackslashUnlessRoot(WizardDirValue());
    if (CompareText(Chosen, DataFolder()) = 0) or
       (Pos(Lowercase(AddBackslash(DataFolder())), Lowercase(AddBackslash(Chosen))) = 1) then
    begin
      MsgBox('That folder holds your RegenLog records. Choose another folder for the program, '
        + 'for example ' + ExpandConstant('{localappdata}\Programs\RegenLog') + '.',
        mbError, MB_OK);
      Result := False;
    end;
  end;
end;
