<#
.SYNOPSIS
    Performance as users feel it (issue 15), in real pwsh, side by side in one run: the module against a bare pwsh
    and against the real Send-MailMessage (Basic AUTH LOGIN) on the same emulated tenant. Figures, never failures.

.DESCRIPTION
    Needs the build output (out/OAuthSmtp and out/OAuthSmtp.Emulator: `dotnet build OAuthSmtp.slnx`) and the pinned
    pwsh (`dotnet tool restore`). Run it with:

        dotnet tool run pwsh -NoProfile -File bench/Measure-UserExperience.ps1 [-Runs 5] [-Messages 200] [-Quick] [-OutputPath <file>]

    Every child process is started the same way (`dotnet <PSHOME>/pwsh.dll -NoProfile -c ...`, what `dotnet tool run
    pwsh` starts), and each pair of measurements alternates, so machine load hits both sides alike. The emulated
    tenant runs in this process (Start-EmuTenant -Scenario Ready); HOME points at a folder of this run only, so the
    emulator's CA is trusted there and nowhere else. Basic AUTH LOGIN is what a tenant still accepts until Microsoft
    disables it by default at the end of December 2026 (EXCHANGE-FACTS §8): the emulator accepts it with the
    mailbox user's password, as such a tenant would.
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 100)] [int] $Runs = 5,
    [ValidateRange(2, 10000)] [int] $Messages = 200,
    [switch] $Quick,
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
if ($Quick) {
    if (-not $PSBoundParameters.ContainsKey('Runs')) { $Runs = 1 }
    if (-not $PSBoundParameters.ContainsKey('Messages')) { $Messages = 10 }
}

$root = Split-Path -Parent $PSScriptRoot
$moduleManifest = Join-Path $root 'out/OAuthSmtp/OAuthSmtp.psd1'
$emulatorManifest = Join-Path $root 'out/OAuthSmtp.Emulator/OAuthSmtp.Emulator.psd1'
foreach ($path in $moduleManifest, $emulatorManifest) {
    if (-not (Test-Path $path)) { throw "$path is missing: build first (dotnet build OAuthSmtp.slnx)." }
}

# This run's own HOME (profiles, token cache, trusted emulator root): set before anything touches a certificate
# store, inherited by every child, removed at the end. The caller's own session gets its variables back: the script
# may run in an admin's console, whose HOME must not point at a deleted folder afterwards.
if (-not $env:OAUTHSMTP_BENCH_HOME) {
    $runHome = Join-Path ([IO.Path]::GetTempPath()) ("oauthsmtp-userbench-" + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $runHome
    $callerHome, $callerStore = $env:HOME, $env:OAUTHSMTP_HOME
    try {
        $env:OAUTHSMTP_BENCH_HOME = $runHome
        $env:HOME = $runHome
        $env:OAUTHSMTP_HOME = Join-Path $runHome 'oauthsmtp'
        $arguments = @('-Runs', $Runs, '-Messages', $Messages)
        if ($Quick) { $arguments += '-Quick' }
        if ($OutputPath) { $arguments += '-OutputPath', [IO.Path]::GetFullPath($OutputPath) }
        & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -File $PSCommandPath @arguments
        exit $LASTEXITCODE
    }
    finally {
        $env:HOME, $env:OAUTHSMTP_HOME, $env:OAUTHSMTP_BENCH_HOME = $callerHome, $callerStore, $null
        Remove-Item -LiteralPath $runHome -Recurse -Force -ErrorAction SilentlyContinue
    }
}

$dotnet = [Environment]::ProcessPath
$pwshDll = Join-Path $PSHOME 'pwsh.dll'

function Invoke-Pwsh([string] $Command) {
    # Wall time of a whole child pwsh, as a scheduled task or a user at a prompt waits for it.
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $output = & $dotnet $pwshDll -NoProfile -NonInteractive -c $Command 2>&1
    $watch.Stop()
    if ($LASTEXITCODE -ne 0) { throw "Child pwsh failed ($LASTEXITCODE): $Command`n$($output -join "`n")" }
    [pscustomobject]@{ Seconds = $watch.Elapsed.TotalSeconds; Output = @($output) }
}

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $n = $sorted.Count
    if ($n % 2) { $sorted[[int][math]::Floor($n / 2)] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

$rows = [Collections.Generic.List[object]]::new()
function Add-Pair([string] $Name, [string] $Ours, [double[]] $OurSamples, [string] $Theirs, [double[]] $TheirSamples, [string] $Unit) {
    $ourMedian = Get-Median $OurSamples
    $theirMedian = Get-Median $TheirSamples
    $rows.Add([pscustomobject]@{ Figure = $Name; Ours = $Ours; OurMedian = $ourMedian; Theirs = $Theirs; TheirMedian = $theirMedian; Ratio = $ourMedian / $theirMedian; Unit = $Unit })
}

Import-Module $emulatorManifest
$tenant = Start-EmuTenant -Scenario Ready -ProfileName Bench -InformationAction SilentlyContinue
try {
    # The profile the module's runs use, made once, as an admin does.
    Import-Module $moduleManifest
    $null = Invoke-Expression $tenant.ProfileCommand
    # Basic for Send-MailMessage: the mailbox user's password (Ready has no policy, security defaults or CA blocking it).
    $password = 'Bench-' + [guid]::NewGuid().ToString('N')
    $user = (Get-EmuTenant).Mailbox
    $account = $OAuthSmtpEmulator.Tenant.Users | Where-Object UserPrincipalName -eq $user
    if (-not $account) { throw "The emulated tenant has no user $user." }
    $account.Password = $password

    $to = 'someone@fabrikam.com'
    $smtp = "-SmtpServer $($tenant.SmtpServer) -Port $($tenant.SmtpPort)"
    $credential = "([pscredential]::new('$user', (ConvertTo-SecureString '$password' -AsPlainText -Force)))"

    # 1. Cold start: Import-Module against a bare pwsh.
    $cold = @(); $bare = @()
    foreach ($run in 1..$Runs) {
        $bare += (Invoke-Pwsh 'exit').Seconds
        $cold += (Invoke-Pwsh "Import-Module '$moduleManifest'").Seconds
    }
    Add-Pair 'Cold start: new pwsh process' "pwsh -NoProfile -c 'Import-Module OAuthSmtp'" $cold "pwsh -NoProfile -c 'exit'" $bare 's'

    # 2. A scheduled task: new process, import, token, connect, send one.
    $task = @(); $legacy = @()
    foreach ($run in 1..$Runs) {
        $task += (Invoke-Pwsh "Import-Module '$moduleManifest'; Send-SmtpOAuthMessage -Profile Bench -To $to -Subject 'Task $run' -Body 'Nightly report'").Seconds
        $legacy += (Invoke-Pwsh "Send-MailMessage $smtp -UseSsl -Credential $credential -From $user -To $to -Subject 'Legacy $run' -Body 'Nightly report' -WarningAction SilentlyContinue").Seconds
    }
    Add-Pair 'Scheduled task: new process, send one message' 'import + token + connect + Send-SmtpOAuthMessage (XOAUTH2)' $task 'Send-MailMessage -UseSsl -Credential (Basic AUTH LOGIN)' $legacy 's'

    # 3. N messages: one pipeline against N Send-MailMessage calls, timed inside one warm process each.
    $timed = '$w = [Diagnostics.Stopwatch]::StartNew(); {0}; $w.Stop(); "SECONDS=" + $w.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)'
    $pipeline = @(); $calls = @()
    foreach ($run in 1..$Runs) {
        $ours = Invoke-Pwsh ("Import-Module '$moduleManifest'; " + ($timed -f "1..$Messages | ForEach-Object { [pscustomobject]@{ To = '$to'; Subject = ""Bulk `$_""; Body = 'Hello' } } | Send-SmtpOAuthMessage -Profile Bench"))
        $theirs = Invoke-Pwsh ('$c = ' + $credential + '; ' + ($timed -f "foreach (`$i in 1..$Messages) { Send-MailMessage $smtp -UseSsl -Credential `$c -From $user -To $to -Subject ""Bulk `$i"" -Body 'Hello' -WarningAction SilentlyContinue }"))
        $pipeline += [double](($ours.Output | Where-Object { "$_" -like 'SECONDS=*' } | Select-Object -Last 1) -replace 'SECONDS=')
        $calls += [double](($theirs.Output | Where-Object { "$_" -like 'SECONDS=*' } | Select-Object -Last 1) -replace 'SECONDS=')
    }
    Add-Pair "$Messages messages, inside one warm process" "one pipeline into Send-SmtpOAuthMessage" $pipeline "$Messages Send-MailMessage calls" $calls 's'

    $delivered = @(Get-EmuDeliveredMessage).Count
    $expected = $Runs * (2 + 2 * $Messages)
    if ($delivered -ne $expected) { Write-Warning "The emulator delivered $delivered messages; $expected were sent." }
}
finally {
    Stop-EmuTenant
}

$cores = [Environment]::ProcessorCount
$load = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0] } else { 'n/a' }
$lines = @(
    "$([datetime]::UtcNow.ToString('yyyy-MM-dd HH:mm', [cultureinfo]::InvariantCulture)) UTC · $cores cores · load average $load at the end · pwsh $($PSVersionTable.PSVersion) · $Runs run(s), $Messages messages$(if ($Quick) { ' (quick mode)' })",
    '',
    '| figure | OAuthSmtp | median | baseline | median | ratio |',
    '| --- | --- | ---: | --- | ---: | ---: |'
)
foreach ($row in $rows) {
    $lines += '| {0} | {1} | {2:0.000} {6} | {3} | {4:0.000} {6} | {5:0.00}× |' -f $row.Figure, $row.Ours, $row.OurMedian, $row.Theirs, $row.TheirMedian, $row.Ratio, $row.Unit
}

$lines | Write-Output
if ($OutputPath) { Set-Content -LiteralPath $OutputPath -Value $lines -Encoding utf8 }
