#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# A device's whole story in a real pwsh: the admin installs the relay, adds a printer, starts the real relay program
# (out/OAuthSmtp/relay), the printer sends with AUTH LOGIN as an old device would, the emulated Exchange Online
# receives it through OAuth, Get-SmtpOAuthRelay and the outcome log say so, and Stop-SmtpOAuthRelay ends it.

BeforeDiscovery {
    # The emulator runs on PowerShell 7 only, and trusting its CA on Windows opens the system's confirmation dialog.
    $script:CanRehearse = $PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows
}

BeforeAll {
    if (-not ($PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows)) { return }
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp.Emulator/OAuthSmtp.Emulator.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1') -Force
    $script:PreviousStore = $env:OAUTHSMTP_HOME

    # A fresh Ready tenant and a relay of the Describe's own on a free loopback port. The relay sends with profiles of its
    # own store, created as the admin creates any profile.
    function New-RelayWithTenantProfile([string] $Folder, [hashtable] $InstallOptions = @{}) {
        Stop-EmuTenant -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $tenant = Start-EmuTenant -Scenario Ready
        $relayHome = Join-Path $TestDrive $Folder
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        Install-SmtpOAuthRelay -Path $relayHome -NoService -Port $port @InstallOptions | Out-Null
        $previous = $env:OAUTHSMTP_HOME
        $env:OAUTHSMTP_HOME = Join-Path $relayHome 'profiles'
        $null = Invoke-Expression $tenant.ProfileCommand
        $env:OAUTHSMTP_HOME = $previous
        [pscustomobject]@{ Tenant = $tenant; RelayHome = $relayHome; Port = $port }
    }
}

AfterAll {
    $env:OAUTHSMTP_HOME = $script:PreviousStore
    if (Get-Command Stop-EmuTenant -ErrorAction SilentlyContinue) { Stop-EmuTenant -WarningAction SilentlyContinue }
}

Describe 'A printer sends through the relay to Exchange Online' -Tag 'CI' -Skip:(-not $CanRehearse) {
    BeforeAll {
        $relay = New-RelayWithTenantProfile -Folder 'relay' -InstallOptions @{ SpoolPath = (Join-Path $TestDrive 'relay/spool'); LogPath = (Join-Path $TestDrive 'relay/logs') }
        $script:Tenant, $script:RelayHome, $script:Port = $relay.Tenant, $relay.RelayHome, $relay.Port
        $script:Mailbox = $Tenant.Mailbox
        $script:Device = Add-SmtpOAuthRelayClient -Path $RelayHome -Name Printer-2F -Profile EmuTenant -AllowedSource 127.0.0.1/32 -AllowedSender $Mailbox -AllowedRecipientDomain $Tenant.Domain -Confirm:$false
        $script:Started = Start-SmtpOAuthRelay -Path $RelayHome -PassThru
    }

    AfterAll {
        Stop-SmtpOAuthRelay -Path $RelayHome -Force -ErrorAction SilentlyContinue
    }

    It 'starts the relay program and shows it running on the loopback port' {
        $Started.State | Should -Be 'Running'
        (Get-SmtpOAuthRelay -Path $RelayHome | Out-String) | Should -Match "127\.0\.0\.1:$Port"
    }

    It 'delivers what the printer sends with AUTH LOGIN, once, and logs it as submitted' {
        $client = [System.Net.Mail.SmtpClient]::new('127.0.0.1', $Port)
        $client.Credentials = [System.Net.NetworkCredential]::new($Device.UserName, $Device.Password)
        $client.Send($Mailbox, "reader@$($Tenant.Domain)", 'Scan 0001', 'Scanned on the second floor.')
        $client.Dispose()

        $deadline = [DateTime]::UtcNow.AddMinutes(5)  # a hang guard: the loop ends as soon as the condition holds
        while (-not @(Get-EmuDeliveredMessage | Where-Object Subject -EQ 'Scan 0001') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        $delivered = @(Get-EmuDeliveredMessage | Where-Object Subject -EQ 'Scan 0001')
        $delivered.Count | Should -Be 1
        $delivered[0].AuthenticatedMailbox | Should -Be $Mailbox

        $outcomes = Get-Content (Join-Path $RelayHome 'logs/outcomes.jsonl') -Raw
        $outcomes | Should -Match 'Scan 0001|submitted|Submitted'
        Get-ChildItem $RelayHome -Recurse -File | Where-Object Name -NE 'secrets' | ForEach-Object {
            $text = [System.IO.File]::ReadAllText($_.FullName)
            $text.Contains($Device.Password) | Should -BeFalse -Because $_.FullName
        }
    }

    It 'refuses a wrong password and forwards nothing' {
        $before = @(Get-EmuDeliveredMessage).Count
        $client = [System.Net.Mail.SmtpClient]::new('127.0.0.1', $Port)
        $client.Credentials = [System.Net.NetworkCredential]::new($Device.UserName, 'not-the-password')
        { $client.Send($Mailbox, "reader@$($Tenant.Domain)", 'Wrong password', 'x') } | Should -Throw
        $client.Dispose()
        # A window in which a wrongly queued message would reach Exchange; a slow machine only narrows it, it cannot fail the test.
        Start-Sleep -Seconds 1
        @(Get-EmuDeliveredMessage).Count | Should -Be $before
    }

    It 'stops the relay' {
        $stopped = Stop-SmtpOAuthRelay -Path $RelayHome -PassThru
        $stopped.State | Should -Be 'Stopped'
        Get-Process -Id $Started.ProcessId -ErrorAction SilentlyContinue | Where-Object { -not $_.HasExited } | Should -BeNullOrEmpty
    }
}

Describe 'Uninstall-SmtpOAuthRelay never loses a message the relay accepted' -Tag 'CI' -Skip:(-not $CanRehearse) {
    BeforeAll {
        $relay = New-RelayWithTenantProfile -Folder 'relay-uninstall'
        $script:Tenant, $script:RelayHome, $script:Port = $relay.Tenant, $relay.RelayHome, $relay.Port
        $script:Mailbox = $Tenant.Mailbox
        $script:Device = Add-SmtpOAuthRelayClient -Path $RelayHome -Name Scanner-3F -Profile EmuTenant -AllowedSource 127.0.0.1/32 -AllowedSender $Mailbox -Confirm:$false
        Start-SmtpOAuthRelay -Path $RelayHome | Out-Null

        # Exchange defers every submission: the message waits in the relay's queue.
        Set-EmuFault -TransientReplyAt MailFrom -Count 1000000
        $client = [System.Net.Mail.SmtpClient]::new('127.0.0.1', $Port)
        $client.Credentials = [System.Net.NetworkCredential]::new($Device.UserName, $Device.Password)
        $client.Send($Mailbox, "reader@$($Tenant.Domain)", 'Scan 0002', 'Deferred, then delivered.')
        $client.Dispose()
        $outcomes = Join-Path $RelayHome 'logs/outcomes.jsonl'
        $deadline = [DateTime]::UtcNow.AddMinutes(5)  # a hang guard: the loop ends as soon as the condition holds
        while (-not ((Test-Path $outcomes) -and (Get-Content $outcomes -Raw) -match 'retrying') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
    }

    AfterAll {
        Set-EmuFault -Clear
        Stop-SmtpOAuthRelay -Path $RelayHome -Force -ErrorAction SilentlyContinue
    }

    It '-WhatIf shows the steps and changes nothing' {
        Uninstall-SmtpOAuthRelay -Path $RelayHome -WhatIf
        (Get-SmtpOAuthRelay -Path $RelayHome).State | Should -Be 'Running'
        Join-Path $RelayHome 'relay.json' | Should -Exist
    }

    It 'keeps the spool with the queued message and says where and how many' {
        $result = Uninstall-SmtpOAuthRelay -Path $RelayHome -Confirm:$false -WarningVariable kept -WarningAction SilentlyContinue
        $result.SpoolKept | Should -BeTrue
        $result.Queued | Should -Be 1
        "$kept" | Should -BeLike "*The spool '$(Join-Path $RelayHome 'spool')' was kept*1 message(s)*"
        Join-Path $RelayHome 'relay.json' | Should -Not -Exist
        @(Get-ChildItem (Join-Path $RelayHome 'spool/queued') -Filter *.msg).Count | Should -Be 1
        @(Get-EmuDeliveredMessage | Where-Object Subject -EQ 'Scan 0002').Count | Should -Be 0
    }

    It 'installed again in the same home, the relay delivers it once' {
        Set-EmuFault -Clear
        Install-SmtpOAuthRelay -Path $RelayHome -NoService -Port $Port | Out-Null
        (Start-SmtpOAuthRelay -Path $RelayHome -PassThru).State | Should -Be 'Running'
        $deadline = [DateTime]::UtcNow.AddMinutes(5)  # a hang guard: the loop ends as soon as the condition holds
        while (-not @(Get-EmuDeliveredMessage | Where-Object Subject -EQ 'Scan 0002') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        @(Get-EmuDeliveredMessage | Where-Object Subject -EQ 'Scan 0002').Count | Should -Be 1
    }

    It 'with nothing left to deliver, removes the spool too' {
        $result = Uninstall-SmtpOAuthRelay -Path $RelayHome -Confirm:$false
        $result.SpoolKept | Should -BeFalse
        Join-Path $RelayHome 'spool' | Should -Not -Exist
        Join-Path $RelayHome 'relay.json' | Should -Not -Exist
    }
}

Describe 'The relay warns about a client secret made in the portal' -Tag 'CI' -Skip:(-not $CanRehearse) {
    BeforeAll {
        $relay = New-RelayWithTenantProfile -Folder 'relay-secret'
        $script:Tenant, $script:RelayHome, $script:Port = $relay.Tenant, $relay.RelayHome, $relay.Port
        Add-SmtpOAuthRelayClient -Path $RelayHome -Name Scanner-4F -Profile EmuTenant -AllowedSource 127.0.0.1/32 -AllowedSender $Tenant.Mailbox -Confirm:$false | Out-Null
        # The portal's secret ends; only Entra ID knows when.
        Set-EmuApplication -SecretExpired -Confirm:$false
        # The suite's files share one pwsh: a Graph sign-in of an earlier file must not count as this admin's.
        Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    }

    AfterAll {
        Stop-SmtpOAuthRelay -Path $RelayHome -Force -ErrorAction SilentlyContinue
        Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null
    }

    It 'without a Graph session, says the end date is unknown and names the command that records it' {
        Get-SmtpOAuthRelay -Path $RelayHome -WarningVariable unknown -WarningAction SilentlyContinue | Out-Null
        "$unknown" | Should -BeLike "*profile 'EmuTenant' has no recorded end date*Connect-MgGraph -Scopes Application.Read.All; Get-SmtpOAuthRelay*"
    }

    It 'in the admin''s Graph session, reads the end date from Entra ID, records it and warns' {
        Connect-MgGraph -Scopes Application.Read.All -NoWelcome
        Get-SmtpOAuthRelay -Path $RelayHome -WarningVariable recorded -WarningAction SilentlyContinue | Out-Null
        "$recorded" | Should -BeLike "*Recorded for the relay*profile 'EmuTenant' expired on*Update-SmtpOAuthCredential -Profile 'EmuTenant' -RemoveOld*"
        Get-Content (Join-Path $RelayHome 'profiles/profiles.json') -Raw | Should -Match '"credentialEndsOn"'
    }

    It 'the relay warns from the recorded date' {
        Start-SmtpOAuthRelay -Path $RelayHome | Out-Null
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        do {
            Start-Sleep -Milliseconds 200
            $warnings = (Get-SmtpOAuthRelay -Path $RelayHome -WarningAction SilentlyContinue).CredentialWarnings
        } while (-not ($warnings.Message -match 'expired on') -and [DateTime]::UtcNow -lt $deadline)
        $warnings.Message | Should -Match "The client secret of profile 'EmuTenant' expired on"
    }
}
