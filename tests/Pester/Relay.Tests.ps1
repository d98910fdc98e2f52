#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The relay's management cmdlets, in a real pwsh: mirrors tests/OAuthSmtp.PowerShell.Tests/Relay.

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/OAuthSmtp/OAuthSmtp.psd1" -Force
    $script:OnWindows = ($PSVersionTable.PSEdition -eq 'Desktop') -or $IsWindows
    $script:PreviousHome = $env:OAUTHSMTP_HOME
    $script:PreviousProgram = $env:OAUTHSMTP_RELAY_PROGRAM

    function script:Install-TestRelay([string] $RelayHome) {
        Install-SmtpOAuthRelay -Path $RelayHome -NoService -Port 2525 | Out-Null
        $env:OAUTHSMTP_HOME = Join-Path $RelayHome 'profiles'
        New-SmtpOAuthProfile -Name Scanner -TenantId contoso.onmicrosoft.com -ClientId 3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53 -DeviceCode -Mailbox scanner@contoso.com | Out-Null
        $env:OAUTHSMTP_HOME = $script:PreviousHome
    }

    # Terminating (Install) and non-terminating (the others) errors alike, as a script with -ErrorAction Stop sees them.
    function script:Get-ErrorRecord([scriptblock] $Script) {
        try { & $Script; $null } catch { $_ }
    }

    function script:Get-Mode([string] $File) {
        if ($OnWindows) { return $null }
        [System.IO.File]::GetUnixFileMode($File)
    }
}

AfterAll {
    $env:OAUTHSMTP_HOME = $script:PreviousHome
    $env:OAUTHSMTP_RELAY_PROGRAM = $script:PreviousProgram
}

Describe 'Relay for devices' -Tag 'CI' {
    BeforeEach {
        $relayHome = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $relayFile = Join-Path $relayHome 'relay.json'
    }

    It 'changes nothing with Install -WhatIf' {
        Install-SmtpOAuthRelay -Path $relayHome -NoService -WhatIf
        $relayHome | Should -Not -Exist
    }

    It 'installs a private loopback relay on 587 and refuses a second install' {
        $relay = Install-SmtpOAuthRelay -Path $relayHome -NoService
        $relay.State | Should -Be 'NotRunning'
        $relay.Listeners | Should -Be @('127.0.0.1:587', '[::1]:587')
        if (-not $OnWindows) { Get-Mode $relayFile | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') }
        $err = @(Get-ErrorRecord { Install-SmtpOAuthRelay -Path $relayHome -NoService -ErrorAction Stop })
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'RelayAlreadyInstalled,OAuthSmtp.PowerShell.Commands.InstallSmtpOAuthRelayCommand'
    }

    It 'refuses <Case> before writing anything' -TestCases @(
        @{ Case = 'a LAN listener without allow-list'; Arguments = @{ ListenAddress = '0.0.0.0' }; Id = 'RelayListenerNotRestricted' }
        @{ Case = 'an allow-list for everyone'; Arguments = @{ ListenAddress = '0.0.0.0'; AllowedSource = '0.0.0.0/0' }; Id = 'RelayListenerNotRestricted' }
        @{ Case = 'a CIDR with host bits'; Arguments = @{ ListenAddress = '0.0.0.0'; AllowedSource = '192.168.10.7/24' }; Id = 'InvalidRelayAddressRange' }
    ) {
        param($Case, $Arguments, $Id)
        $err = @(Get-ErrorRecord { Install-SmtpOAuthRelay -Path $relayHome -NoService @Arguments -ErrorAction Stop })
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Id,OAuthSmtp.PowerShell.Commands.InstallSmtpOAuthRelayCommand"
        $relayHome | Should -Not -Exist
    }

    It 'says -NoService where there is no service manager' -Skip:($OnWindows -or (Test-Path /run/systemd/system)) {
        $err = @(Get-ErrorRecord { Install-SmtpOAuthRelay -Path $relayHome -ErrorAction Stop })
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'RelayServiceManagerUnavailable,OAuthSmtp.PowerShell.Commands.InstallSmtpOAuthRelayCommand'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-NoService'
        $relayFile | Should -Not -Exist
    }

    It 'adds a device whose password is returned once and found nowhere on disk' {
        Install-TestRelay $relayHome
        $secure = Add-SmtpOAuthRelayClient -Path $relayHome -Name Printer-2OG -Profile Scanner -AllowedSource 192.168.10.25
        $secure.Password | Should -BeOfType ([securestring])
        $device = Add-SmtpOAuthRelayClient -Path $relayHome -Name Copier -Profile Scanner -AsPlainText
        $device.Password | Should -BeOfType ([string])
        $device.Password.Length | Should -Be 24
        foreach ($file in Get-ChildItem $relayHome -Recurse -File) {
            (Get-Content -Raw $file.FullName) | Should -Not -Match ([regex]::Escape($device.Password))
        }
        if (-not $OnWindows) { Get-Mode $relayFile | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') }
        (Get-SmtpOAuthRelayClient -Path $relayHome).Name | Should -Be @('Copier', 'Printer-2OG')
    }

    It 'refuses <Case> and leaves relay.json as it was' -TestCases @(
        @{ Case = 'a bad CIDR'; Arguments = @{ Name = 'Printer'; Profile = 'Scanner'; AllowedSource = '10.0.0.1/8' }; Id = 'InvalidRelayAddressRange' }
        @{ Case = 'an unknown profile'; Arguments = @{ Name = 'Printer'; Profile = 'Nope' }; Id = 'ProfileNotFound' }
        @{ Case = 'a duplicate name'; Arguments = @{ Name = 'EXISTING'; Profile = 'Scanner' }; Id = 'RelayClientAlreadyExists' }
    ) {
        param($Case, $Arguments, $Id)
        Install-TestRelay $relayHome
        Add-SmtpOAuthRelayClient -Path $relayHome -Name Existing -Profile Scanner | Out-Null
        $before = Get-Content -Raw $relayFile
        $err = @(Get-ErrorRecord { Add-SmtpOAuthRelayClient -Path $relayHome @Arguments -ErrorAction Stop })
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Id,OAuthSmtp.PowerShell.Commands.AddSmtpOAuthRelayClientCommand"
        Get-Content -Raw $relayFile | Should -BeExactly $before
    }

    It 'adds devices from Import-Csv and removes them through the pipeline' {
        Install-TestRelay $relayHome
        $csv = Join-Path $TestDrive 'devices.csv'
        "Name,Profile,AllowedSource`nPrinter-1,Scanner,192.168.10.21`nPrinter-2,Scanner,192.168.10.22;192.168.10.23" | Set-Content $csv
        Import-Csv $csv | Add-SmtpOAuthRelayClient -Path $relayHome | Should -HaveCount 2
        (Get-SmtpOAuthRelayClient Printer-2 -Path $relayHome).AllowedSources | Should -Be @('192.168.10.22/32', '192.168.10.23/32')
        Get-SmtpOAuthRelayClient Printer-* -Path $relayHome | Remove-SmtpOAuthRelayClient -Confirm:$false
        Get-SmtpOAuthRelayClient -Path $relayHome | Should -BeNullOrEmpty
        $err = @(Get-ErrorRecord { Remove-SmtpOAuthRelayClient Printer-1 -Path $relayHome -ErrorAction Stop })
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'RelayClientNotFound,OAuthSmtp.PowerShell.Commands.RemoveSmtpOAuthRelayClientCommand'
    }

    It 'starts, shows and stops the relay as a background process' -Skip:$OnWindows {
        Install-TestRelay $relayHome
        $program = Join-Path $TestDrive 'stand-in-relay'
        # Writes status.json as the relay does: Running with its process id, Stopped on SIGTERM.
        @'
#!/bin/sh
status="$(dirname "$3")/status.json"
write() { printf '{"schemaVersion":1,"state":"%s","processId":%s,"updatedOn":"%s","listeners":["127.0.0.1:2525"]}' "$1" $$ "$(date -u +%Y-%m-%dT%H:%M:%S+00:00)" > "$status.tmp" && mv "$status.tmp" "$status"; }
trap 'write Stopped; exit 0' TERM
write Running
while true; do sleep 0.1; done
'@ -replace "`r`n", "`n" | Set-Content -NoNewline $program
        chmod +x $program
        $env:OAUTHSMTP_RELAY_PROGRAM = $program
        try {
            $started = Start-SmtpOAuthRelay -Path $relayHome -PassThru
            $started.State | Should -Be 'Running'
            (Get-SmtpOAuthRelay -Path $relayHome | Out-String) | Should -Match 'Running.*127\.0\.0\.1:2525'
            $stopped = Get-SmtpOAuthRelay -Path $relayHome | Stop-SmtpOAuthRelay -PassThru
            $stopped.State | Should -Be 'Stopped'
            Get-Process -Id $started.ProcessId -ErrorAction SilentlyContinue | Where-Object { -not $_.HasExited } | Should -BeNullOrEmpty
        }
        finally {
            Stop-SmtpOAuthRelay -Path $relayHome -Force -ErrorAction SilentlyContinue
            $env:OAUTHSMTP_RELAY_PROGRAM = $script:PreviousProgram
        }
    }
}
