<#
.SYNOPSIS
    Writes the output blocks of the examples in docs/help from real runs against the emulated tenant.
.DESCRIPTION
    Every example in docs/help/*.md that shows output (a ```powershell block followed by an ```output block) and has a
    recipe below is run in one fresh pwsh process, with the built module (out/OAuthSmtp) and the emulated tenant
    (out/OAuthSmtp.Emulator, Start-EmuTenant), each in its own profile store and working folder. What the console shows
    (pipeline output at 120 columns, verbose, warning and "What if:" lines, errors) replaces the output block.

    Ids, dates, times and the emulator's ports differ from run to run: a block whose output differs from the run's
    only in those (see ConvertTo-ComparableOutput) is left as it is, so regenerating changes only what really changed.
    -Check changes nothing and exits 1 when a block no longer matches its run (tests/Pester/HelpExamples.Tests.ps1).

    After regenerating, rewrite the MAML: dotnet run --project tools/OAuthSmtp.ModuleTools -- help
.EXAMPLE
    dotnet build OAuthSmtp.slnx; dotnet tool run pwsh -NoProfile -File tools/Update-HelpExamples.ps1
.EXAMPLE
    dotnet tool run pwsh -NoProfile -File tools/Update-HelpExamples.ps1 -Check
#>
[CmdletBinding()]
param(
    # Report blocks out of step with their run and exit 1; change nothing.
    [switch] $Check,
    # Only the examples whose key ('Get-SmtpOAuthToken/1') matches this wildcard.
    [string] $Example = '*',
    # Internal: the process that runs the examples and prints each one's output between markers.
    [switch] $Runner
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path $PSScriptRoot -Parent
$helpFolder = Join-Path $root 'docs/help'
$marker = '#####-help-example-#####'
$width = 120

# How each example is run. Tenant: the Start-EmuTenant scenario it needs (none: no tenant). Setup: runs first, unseen
# (profiles, files). Run: what runs instead of the shown command, only where the shown one names things this machine
# cannot have (a Windows path, a vault, a certificate in a store); the output is that of the same cmdlet and view.
$recipes = [ordered]@{
    'Get-SmtpOAuthProfile/1' = @{
        Setup = {
            New-OfflineProfile -Name Erp -Mailbox erp@contoso.com
            New-OfflineProfile -Name Scanner -Mailbox scanner@contoso.com -Certificate
        }
    }
    'Get-SmtpOAuthProfile/2' = @{
        # As New-SmtpOAuthProfile's example 2 made it: the secret in a SecretManagement vault.
        Setup = { New-OfflineProfile -Name Erp -Mailbox erp@contoso.com -Vault CorpVault }
    }
    'Get-SmtpOAuthSettings/1' = @{
        Setup = { New-OfflineProfile -Name Scanner -Mailbox scanner@contoso.com }
    }
    'Get-SmtpOAuthToken/1' = @{
        Tenant = 'Ready'
        Setup = { New-TenantProfile -Name Scanner }
    }
    'Get-SmtpOAuthToken/2' = @{
        Tenant = 'Ready'
        Setup = {
            New-TenantProfile -Name Erp
            Set-EmuApplication -RevokeConsent -Confirm:$false
        }
    }
    'New-SmtpOAuthProfile/1' = @{}
    'New-SmtpOAuthProfile/2' = @{}
    'New-SmtpOAuthProfile/3' = @{
        # DPAPI exists only on Windows; elsewhere the same command needs -AllowUnprotectedSecret and says so.
        WindowsOnly = $true
        Run = @'
$secret = ConvertTo-SecureString 'emulated secret' -AsPlainText -Force
New-SmtpOAuthProfile -Name Nightly -TenantId contoso.onmicrosoft.com -ClientId 3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53 -ClientSecret $secret -Mailbox reports@contoso.com -Verbose
'@
    }
    'Remove-SmtpOAuthProfile/1' = @{
        Setup = { New-OfflineProfile -Name Nightly -Mailbox reports@contoso.com }
    }
    'Remove-SmtpOAuthProfile/2' = @{
        Setup = {
            New-OfflineProfile -Name Erp -Mailbox erp@contoso.com
            New-OfflineProfile -Name Scanner -Mailbox scanner@contoso.com -Certificate
        }
    }
    'Set-SmtpOAuthProfile/1' = @{
        Setup = { New-OfflineProfile -Name Nightly -Mailbox reports@contoso.com }
        # Read-Host would wait for a person; without DPAPI the new secret needs -AllowUnprotectedSecret.
        Run = @'
$secret = ConvertTo-SecureString 'new emulated secret' -AsPlainText -Force
Set-SmtpOAuthProfile -Name Nightly -ClientSecret $secret -PassThru -AllowUnprotectedSecret
'@
    }
    'Set-SmtpOAuthProfile/2' = @{
        Setup = {
            New-OfflineProfile -Name Erp -Mailbox erp@contoso.com
            New-OfflineProfile -Name Nightly -Mailbox reports@contoso.com
        }
    }
    'Send-SmtpOAuthMessage/1' = @{
        Tenant = 'Ready'
        Setup = { New-TenantProfile -Name Scanner }
    }
    'Test-SmtpOAuthSetup/1' = @{
        Tenant = 'Fresh'
        Setup = { New-TenantProfile -Name Scanner; New-WrongServicePrincipal }
        # The emulated Exchange session is connected by Start-EmuTenant.
        Run = 'Test-SmtpOAuthSetup -Profile Scanner'
    }
    'Test-SmtpOAuthSetup/2' = @{
        Tenant = 'Fresh'
        Setup = { New-TenantProfile -Name Scanner; New-WrongServicePrincipal }
    }
    'Test-SmtpOAuthSetup/3' = @{
        Tenant = 'Fresh'
        # Exchange applies changes after minutes; the emulated tenant after half a second.
        Setup = { New-TenantProfile -Name Scanner; New-WrongServicePrincipal; Set-EmuPropagationDelay -Quick -Confirm:$false }
    }
    'Test-SmtpOAuthSetup/4' = @{
        Tenant = 'Ready'
        Setup = { New-TenantProfile -Name Webclient }
    }
    'Initialize-SmtpOAuthSetup/1' = @{
        Tenant = 'Empty'
        # Start-EmuTenant -ConnectGraph signs the administrator in to the emulated Graph and Exchange (the example's
        # first two lines); @EmulatedTenant points the new profile at the emulator instead of Microsoft's hosts.
        # Exchange applies changes after half a second instead of minutes.
        Setup = { Set-EmuPropagationDelay -Quick -Confirm:$false }
        Run = "Initialize-SmtpOAuthSetup -Mailbox alerts@contoso.com -DisplayName 'Alerts SMTP' -TestRecipient it@contoso.com -Wait @EmulatedTenant"
    }
    'Initialize-SmtpOAuthSetup/2' = @{
        Tenant = 'Empty'
        Setup = {
            Set-EmuPropagationDelay -Quick -Confirm:$false
            $null = Initialize-SmtpOAuthSetup -Mailbox alerts@contoso.com -DisplayName 'Alerts SMTP' -Wait @EmulatedTenant
        }
        Run = "Initialize-SmtpOAuthSetup -Mailbox alerts@contoso.com -DisplayName 'Alerts SMTP' -InformationAction Continue @EmulatedTenant | Select-Object -ExpandProperty Steps"
    }
    'Update-SmtpOAuthCredential/1' = @{
        Tenant = 'Ready'
        Setup = { New-TenantProfile -Name Scanner }
        Run = 'Update-SmtpOAuthCredential -Profile Scanner -RemoveOld -Confirm:$false'
    }
    'Install-SmtpOAuthRelay/1' = @{
        Relay = 'None'
        # /srv/relay as this run's folder for it.
        Run = 'Install-SmtpOAuthRelay -Path ./srv/relay -NoService -Port 2525'
    }
    'Add-SmtpOAuthRelayClient/1' = @{
        Relay = 'Installed'
        Setup = {
            New-OfflineProfile -Name Scanner -Mailbox scanner@contoso.com
            Install-RelayForExample -ListenAddress 127.0.0.1, ::1, 192.168.10.5 -Port 587
        }
        # The password is new each time.
        Varies = '(?m)^[A-Za-z0-9]{20,}$'
    }
    'Get-SmtpOAuthRelayClient/1' = @{
        Relay = 'Installed'
        Setup = {
            New-OfflineProfile -Name Scanner -Mailbox scanner@contoso.com
            Install-RelayForExample -ListenAddress 127.0.0.1, ::1, 192.168.10.5 -Port 587
            Add-ExampleDevices
        }
    }
    'Remove-SmtpOAuthRelayClient/1' = @{
        Relay = 'Installed'
        Setup = {
            New-OfflineProfile -Name Scanner -Mailbox scanner@contoso.com
            Install-RelayForExample -Port 587
            Add-ExampleDevices
        }
    }
    'Start-SmtpOAuthRelay/1' = @{
        Tenant = 'Ready'
        Relay = 'Installed'
        Setup = { New-TenantProfile -Name Scanner; Install-RelayForExample; Add-ExampleDevices }
    }
    'Start-SmtpOAuthRelay/2' = @{
        Tenant = 'Ready'
        Relay = 'Installed'
        Setup = {
            $env:OAUTHSMTP_HOME = Join-Path $PWD 'srv/relay/profiles'
            New-TenantProfile -Name Scanner
            Install-RelayForExample -Path ./srv/relay
        }
        Run = 'Get-SmtpOAuthRelay -Path ./srv/relay | Start-SmtpOAuthRelay -Verbose'
    }
    'Get-SmtpOAuthRelay/1' = @{
        Tenant = 'Ready'
        Relay = 'Installed'
        # No Graph session (an earlier example's would point at a stopped tenant): Get-SmtpOAuthRelay then says the
        # portal-made secret's end date is unknown, as the example shows.
        Setup = { Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null; New-TenantProfile -Name Scanner; Install-RelayForExample; Add-ExampleDevices; $null = Start-SmtpOAuthRelay -PassThru }
    }
    'Get-SmtpOAuthRelay/3' = @{
        Tenant = 'Ready'
        Relay = 'Installed'
        # Start-EmuTenant -ConnectGraph stands for the example's Connect-MgGraph line.
        ConnectGraph = $true
        Setup = { New-TenantProfile -Name Scanner; Install-RelayForExample; Add-ExampleDevices }
        Run = 'Get-SmtpOAuthRelay -Verbose'
    }
    'Uninstall-SmtpOAuthRelay/1' = @{
        Tenant = 'Ready'
        Relay = 'Installed'
        Setup = {
            $env:OAUTHSMTP_HOME = Join-Path $PWD 'srv/relay/profiles'
            New-TenantProfile -Name Scanner
            $port = Get-ExamplePort
            $null = Install-SmtpOAuthRelay -Path ./srv/relay -NoService -Port $port -Confirm:$false
            $device = Add-SmtpOAuthRelayClient -Path ./srv/relay -Name Scanner-3F -Profile Scanner -AllowedSource 127.0.0.1/32 -Confirm:$false
            $null = Start-SmtpOAuthRelay -Path ./srv/relay
            # Exchange defers every submission: the scan waits in the relay's queue.
            Set-EmuFault -TransientReplyAt MailFrom -Count 1000000
            $client = [System.Net.Mail.SmtpClient]::new('127.0.0.1', $port)
            $client.Credentials = [System.Net.NetworkCredential]::new($device.UserName, $device.Password)
            $client.Send('alerts@contoso.com', 'it@contoso.com', 'Scan 0002', 'Deferred.')
            $client.Dispose()
            $outcomes = './srv/relay/logs/outcomes.jsonl'
            $deadline = [DateTime]::UtcNow.AddMinutes(5)  # a hang guard: the loop ends as soon as the relay has tried once
            while (-not ((Test-Path $outcomes) -and (Get-Content $outcomes -Raw) -match 'retrying') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        }
    }
    'Stop-SmtpOAuthRelay/1' = @{
        Tenant = 'Ready'
        Relay = 'Installed'
        Setup = { New-TenantProfile -Name Scanner; Install-RelayForExample; Add-ExampleDevices; $null = Start-SmtpOAuthRelay -PassThru }
    }
    'Send-SmtpOAuthMessage/3' = @{
        Tenant = 'Ready'
        Setup = {
            New-TenantProfile -Name Billing
            # One message Exchange refused (554 5.2.2, the mailbox over its quota), saved by -FailedMessagePath.
            Set-EmuMailboxState -Identity alerts@contoso.com -SendQuotaExceeded -Confirm:$false
            Send-SmtpOAuthMessage -Profile Billing -To k.meyer@fabrikam.com -Subject 'Invoice 20418' -Body 'Your invoice is attached.' -FailedMessagePath ./Failed -ErrorAction SilentlyContinue
            Set-EmuMailboxState -Identity alerts@contoso.com -SendQuotaExceeded:$false -Confirm:$false
        }
    }
    'Send-SmtpOAuthMessage/2' = @{
        Tenant = 'Ready'
        Setup = {
            New-TenantProfile -Name Billing
            $null = New-Item -ItemType Directory -Path Invoices
            # 250 invoices; two rows with an address cut short.
            $rows = foreach ($number in 20171..20420) {
                $email = if ($number -in 20230, 20418) { "customer$number@" } else { "customer$number@fabrikam.com" }
                Set-Content -Path "Invoices/$number.pdf" -Value "%PDF-1.4 invoice $number"
                [pscustomobject]@{ Email = $email; Number = $number; Pdf = (Resolve-Path "Invoices/$number.pdf").Path }
            }
            $rows | Export-Csv invoices.csv
        }
    }
}

# ---- reading and writing the markdown ----------------------------------------------------------------------------

# The examples of one help file that show output: key, the shown code, and where the output block's text lies.
function Get-HelpExample([string] $Path) {
    $lines = [System.IO.File]::ReadAllLines($Path)
    $command = [System.IO.Path]::GetFileNameWithoutExtension($Path)
    $number = 0
    $inExamples = $false
    $code = $null
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^## ') { $inExamples = $line -eq '## EXAMPLES'; continue }
        if (-not $inExamples) { continue }
        if ($line -match '^### Example (\d+)') { $number = [int] $Matches[1]; $code = $null; continue }
        if ($line -match '^```(powershell|output)\s*$') {
            $kind = $Matches[1]
            $end = $i + 1
            while ($end -lt $lines.Count -and $lines[$end] -ne '```') { $end++ }
            $text = $lines[($i + 1)..($end - 1)] -join "`n"
            if ($end -eq $i + 1) { $text = '' }
            if ($kind -eq 'powershell') { $code = $text }
            elseif ($null -ne $code) {
                [pscustomobject]@{ Key = "$command/$number"; Path = $Path; Code = $code; Output = $text; Start = $i + 1; End = $end }
            }
            $i = $end
        }
    }
}

# What may differ between two runs of the same example: ids, dates and times, the emulator's ports, temporary folders.
function ConvertTo-ComparableOutput([string] $Text, [string] $Varies) {
    # What only this example has that differs each run (a generated password).
    if ($Varies) { $Text = $Text -replace $Varies, '<varies>' }
    $Text = $Text -replace '(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b', '<guid>'
    $Text = $Text -replace '\b\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?', '<date>'
    $Text = $Text -replace '\b\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2})?( [AP]M)?)?( [+-]\d{2}:\d{2})?', '<date>'
    $Text = $Text -replace '\b(localhost|127\.0\.0\.1|\[::1\]):\d+', '$1:<port>'
    $Text = $Text -replace '\(process \d+\)', '(process <id>)'
    $Text = $Text -replace '(?m)^(Port\s+:?\s*)\d{4,5}$', '$1<port>'
    # Exchange's message ids in replies ('250 2.0.0 OK <9HFULHXUZUU4.A5AK0GPSAG2C3@contoso.com>'), even when wrapped.
    $Text = $Text -replace '\b(?=[A-Z0-9.]*\d)[A-Z0-9][A-Z0-9.]{7,}', '<id>'
    $Text = $Text -replace '(?i)\b[0-9a-f]{40}\b', '<thumbprint>'
    $Text = $Text -replace '/tmp/[^\s/]+', '/tmp/<folder>'
    # A value cut to the column's width ends elsewhere when an id or a port had another length.
    $Text = ($Text -split "`n" | ForEach-Object { $_ -replace '\S*…$', '…' -replace '\s+$', '' }) -join "`n"
    $Text
}

# ---- the runner: one pwsh process, every example ------------------------------------------------------------------

if ($Runner) {
    $PSStyle.OutputRendering = 'PlainText'
    if ($env:OAUTHSMTP_HELP_EXAMPLE) { $Example = $env:OAUTHSMTP_HELP_EXAMPLE }
    Import-Module (Join-Path $root 'out/OAuthSmtp.Emulator/OAuthSmtp.Emulator.psd1')
    Import-Module (Join-Path $root 'out/OAuthSmtp/OAuthSmtp.psd1')
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('oauthsmtp-help-' + [guid]::NewGuid().ToString('n'))
    $script:tenant = $null

    # A profile that never reaches a tenant: New-/Get-/Set-/Remove-SmtpOAuthProfile show only what is stored.
    function New-OfflineProfile([string] $Name, [string] $Mailbox, [switch] $Certificate, [string] $Vault) {
        $common = @{ Name = $Name; TenantId = 'contoso.onmicrosoft.com'; ClientId = '3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53'; Mailbox = $Mailbox }
        if ($Vault) {
            $null = New-SmtpOAuthProfile @common -SecretName "$($Name)SmtpSecret" -Vault $Vault
        }
        elseif ($Certificate) {
            $null = New-SmtpOAuthProfile @common -CertificateThumbprint 8A2F3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D
        }
        else {
            $null = New-SmtpOAuthProfile @common -ClientSecret (ConvertTo-SecureString 'emulated secret' -AsPlainText -Force) -AllowUnprotectedSecret
        }
    }

    # The relay of an example, installed without a service in this example's relay home. Port 2525 (a non-root
    # process cannot listen on 587) unless another run holds it.
    function Install-RelayForExample([string] $Path = $env:OAUTHSMTP_RELAY_HOME, [string[]] $ListenAddress = @('127.0.0.1', '::1'), [int] $Port = 0) {
        if ($Port -eq 0) { $Port = Get-ExamplePort }
        $lan = @{}
        if ($ListenAddress -contains '192.168.10.5') {
            # On the LAN: only the devices' network, and STARTTLS with the relay's own certificate.
            $lan.AllowedSource = '192.168.10.0/24'
            $lan.CertificatePath = New-ExampleCertificate
        }
        $null = Install-SmtpOAuthRelay -Path $Path -NoService -Port $Port -ListenAddress $ListenAddress @lan -Confirm:$false
    }

    # A self-signed relay certificate as a .pfx without a password, as an admin might export one.
    function New-ExampleCertificate {
        $key = [System.Security.Cryptography.RSA]::Create(2048)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=relay.contoso.com', $key, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $certificate = $request.CreateSelfSigned([datetimeoffset]::UtcNow.AddDays(-1), [datetimeoffset]::UtcNow.AddYears(1))
        $path = Join-Path $PWD 'relay.pfx'
        [System.IO.File]::WriteAllBytes($path, $certificate.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pfx))
        $path
    }

    function Get-ExamplePort {
        foreach ($candidate in 2525, 0) {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $candidate)
            try { $listener.Start(); return $listener.LocalEndpoint.Port } catch { } finally { $listener.Stop() }
        }
    }

    # The devices of the relay examples: a printer with a password and an old scanner known by its address.
    function Add-ExampleDevices {
        $null = Add-SmtpOAuthRelayClient -Name Printer-2OG -Profile Scanner -AllowedSource 192.168.10.25 -Confirm:$false
        $null = Add-SmtpOAuthRelayClient -Name Scanner-Old -Profile Scanner -NoCredential -AllowedSource 192.168.10.40 -RewriteFrom -AllowedRecipientDomain contoso.com -Confirm:$false
        $null = Add-SmtpOAuthRelayClient -Name Copier-1OG -Profile Scanner -AllowedSource 192.168.10.26 -Confirm:$false
    }

    # The classic mistake: Exchange's service principal made with the app registration's object id instead of the
    # enterprise application's.
    function New-WrongServicePrincipal {
        $current = Get-EmuTenant
        $null = New-ServicePrincipal -AppId $current.ClientId -ObjectId $current.AppObjectId -DisplayName 'Scanner'
    }

    # A profile for the running emulated tenant (its mailbox alerts@contoso.com).
    function New-TenantProfile([string] $Name) {
        $line = $script:tenant.ProfileCommand -replace '-Name EmuTenant ', "-Name $Name "
        $null = Invoke-Expression $line -WarningAction SilentlyContinue
    }

    try {
        foreach ($key in $recipes.Keys) {
            if ($key -notlike $Example) { continue }
            $recipe = $recipes[$key]
            $folder = Join-Path $work ($key -replace '/', '-')
            $null = New-Item -ItemType Directory -Path (Join-Path $folder 'profiles') -Force
            $env:OAUTHSMTP_HOME = Join-Path $folder 'profiles'
            $env:OAUTHSMTP_RELAY_HOME = Join-Path $folder 'relay'
            # The relay signs in with the profiles of its own store, beside its relay.json.
            if ($recipe['Relay']) { $env:OAUTHSMTP_HOME = Join-Path $env:OAUTHSMTP_RELAY_HOME 'profiles' }
            Set-Location $folder
            if ($script:tenant) { Stop-EmuTenant -WarningAction SilentlyContinue; $script:tenant = $null }
            # A Graph session of an earlier example would point at its stopped tenant.
            if (Get-Command Disconnect-MgGraph -ErrorAction SilentlyContinue) { $null = Disconnect-MgGraph -ErrorAction SilentlyContinue }
            if ($recipe['Tenant']) {
                $graph = @{ ConnectGraph = $recipe['Tenant'] -eq 'Empty' -or $key -like 'Update-SmtpOAuthCredential/*' -or $recipe['ConnectGraph'] }
                $script:tenant = Start-EmuTenant -Scenario $recipe['Tenant'] @graph -InformationAction SilentlyContinue
                # What Initialize-SmtpOAuthSetup needs to make a profile for the emulator rather than for Microsoft's hosts.
                $EmulatedTenant = @{
                    SmtpServer = $script:tenant.SmtpServer; Port = $script:tenant.SmtpPort; AuthorityHost = $script:tenant.AuthorityHost
                    AllowNonMicrosoftHost = $true; AllowUnprotectedSecret = -not $IsWindows; Confirm = $false
                }
            }
            if ($recipe['WindowsOnly'] -and -not $IsWindows) { continue }
            $path = Join-Path $helpFolder (($key -split '/')[0] + '.md')
            $code = $recipe['Run']
            if (-not $code) { $code = (Get-HelpExample $path | Where-Object Key -eq $key).Code }
            $setupError = $null
            if ($recipe['Setup']) {
                try { $null = & $recipe['Setup'] } catch { $setupError = $_ }
            }
            Write-Host "$marker begin $key|$env:OAUTHSMTP_HOME|$env:OAUTHSMTP_RELAY_HOME|$folder"
            # Pipeline output at the console's width; verbose, warning, information and "What if:" lines go to the
            # host, as in a console.
            if ($setupError) {
                "The example's setup failed: $setupError"
                $code = '$null'
            }
            try {
                # A console's defaults: a non-terminating error is shown and the pipeline goes on.
                $ErrorActionPreference = 'Continue'
                Invoke-Expression $code | Out-String -Width $width -Stream
            }
            catch {
                $_ | Out-String -Width $width -Stream
            }
            finally {
                $ErrorActionPreference = 'Stop'
            }
            if ($recipe['Relay']) {
                foreach ($relayHome in $env:OAUTHSMTP_RELAY_HOME, (Join-Path $folder 'srv/relay')) {
                    if (Test-Path $relayHome) { $null = Stop-SmtpOAuthRelay -Path $relayHome -Force -ErrorAction SilentlyContinue }
                }
            }
            Write-Host "$marker end $key"
        }
    }
    finally {
        Set-Location $root
        if ($script:tenant) { Stop-EmuTenant -WarningAction SilentlyContinue }
        Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
    }
    return
}

# ---- the driver: run, compare, write ------------------------------------------------------------------------------

$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$log = Join-Path ([System.IO.Path]::GetTempPath()) ('oauthsmtp-help-' + [guid]::NewGuid().ToString('n') + '.txt')
try {
    # The filter goes by environment: pwsh on Unix expands a '*' argument of a native command to file names.
    $env:OAUTHSMTP_HELP_EXAMPLE = $Example
    if (Test-Path $pwshDll) {
        & dotnet $pwshDll -NoProfile -NonInteractive -File $PSCommandPath -Runner *> $log
    }
    else {
        & (Get-Process -Id $PID).Path -NoProfile -NonInteractive -File $PSCommandPath -Runner *> $log
    }
    $runnerExit = $LASTEXITCODE
    $lines = @(Get-Content $log)
}
finally {
    Remove-Item $log -ErrorAction SilentlyContinue
    Remove-Item Env:OAUTHSMTP_HELP_EXAMPLE -ErrorAction SilentlyContinue
}

# The profile store of a run is a temporary folder; the help shows where the store usually is.
$storeShownAs = if ($IsWindows) { 'C:\Users\admin\AppData\Local\OAuthSmtp' } else { '/home/admin/.config/OAuthSmtp' }
# The same for the relay's home: its default.
$relayShownAs = if ($IsWindows) { 'C:\ProgramData\OAuthSmtp\Relay' } else { '/etc/oauthsmtp-relay' }
# Every profile for the emulator warns once that its hosts are not Microsoft's; a tenant's profile never does.
$emulatorHostWarning = "^WARNING: Profile '[^']+' sends its access token to the SMTP server localhost "
$outputs = @{}
$current = $null
$store = $null
$buffer = [System.Collections.Generic.List[string]]::new()
foreach ($line in $lines) {
    if ($line -like "$marker begin *") {
        $current, $store, $relayStore, $workFolder = $line.Substring("$marker begin ".Length) -split '\|', 4
        $buffer.Clear()
        continue
    }
    if ($line -like "$marker end *") {
        $text = ($buffer | ForEach-Object { $_.TrimEnd() }) -join "`n"
        # Format views open and close with blank lines; collapse runs of them as the help shows them.
        $outputs[$current] = ($text -replace "\n{3,}", "`n`n").Trim("`n")
        $current = $null
        continue
    }
    if ($null -ne $current -and $line -notmatch $emulatorHostWarning) {
        $buffer.Add($line.Replace($store, $storeShownAs).Replace($relayStore, $relayShownAs).Replace("$workFolder/", './'))
    }
}

if ($runnerExit -ne 0 -or $outputs.Count -eq 0) {
    $lines | Select-Object -Last 40 | Write-Host
    throw "The examples did not run (exit code $runnerExit); its output is above. Build first: dotnet build OAuthSmtp.slnx"
}

$stale = [System.Collections.Generic.List[string]]::new()
foreach ($file in Get-ChildItem $helpFolder -Filter '*.md') {
    $examples = @(Get-HelpExample $file.FullName | Where-Object Key -like $Example)
    $fileLines = [System.Collections.Generic.List[string]]::new([string[]][System.IO.File]::ReadAllLines($file.FullName))
    $changed = $false
    # From the last block up, so that replacing one does not move the others.
    foreach ($item in ($examples | Sort-Object Start -Descending)) {
        if (-not $outputs.ContainsKey($item.Key)) {
            if (-not $recipes.Contains($item.Key)) { Write-Warning "$($item.Key): no recipe; its output block is not generated." }
            continue
        }
        $actual = $outputs[$item.Key]
        $varies = $recipes[$item.Key]['Varies']
        if ((ConvertTo-ComparableOutput $actual $varies) -ceq (ConvertTo-ComparableOutput $item.Output $varies)) { continue }
        $stale.Add($item.Key)
        if ($Check) {
            Write-Host "---- $($item.Key): committed"
            Write-Host $item.Output
            Write-Host "---- $($item.Key): a run shows"
            Write-Host $actual
            continue
        }
        $fileLines.RemoveRange($item.Start, $item.End - $item.Start)
        $fileLines.InsertRange($item.Start, [string[]]($actual -split "`n"))
        $changed = $true
    }
    if ($changed) {
        # The help files are LF, UTF-8 without BOM, ending in a newline.
        [System.IO.File]::WriteAllText($file.FullName, (($fileLines -join "`n") + "`n"), [System.Text.UTF8Encoding]::new($false))
        Write-Host "wrote $($file.Name)"
    }
}

if ($Check) {
    if ($stale.Count -gt 0) {
        Write-Host "Out of step with a run: $($stale -join ', '). Regenerate: dotnet tool run pwsh -NoProfile -File tools/Update-HelpExamples.ps1"
        exit 1
    }
    Write-Host "Every generated example output matches a run ($($outputs.Count) examples)."
}
