#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The admin's whole story in a real pwsh against the emulated tenant (out/OAuthSmtp.Emulator): profile,
# Test-SmtpOAuthSetup, -Fix, re-test, a pipeline of messages with attachments delivered, a token failure, and a
# transcript of all of it with -Verbose that holds no secret and no token.

BeforeDiscovery {
    # The emulator runs on PowerShell 7 only; on Windows, trusting its CA would open the system's confirmation dialog,
    # so there it is left to a person's own shell.
    $script:CanRehearse = $PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows
}

BeforeAll {
    if (-not ($PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows)) { return }
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp.Emulator/OAuthSmtp.Emulator.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1') -Force
    $script:PreviousStore = $env:OAUTHSMTP_HOME
    $env:OAUTHSMTP_HOME = Join-Path $TestDrive 'profiles'
}

AfterAll {
    if (-not (Get-Command Stop-EmuTenant -ErrorAction SilentlyContinue)) { return }
    Stop-EmuTenant -WarningAction SilentlyContinue
    $env:OAUTHSMTP_HOME = $script:PreviousStore
}

Describe 'From a fresh tenant to delivered mail, in real pwsh' -Tag 'CI' -Skip:(-not $CanRehearse) {
    BeforeAll {
        $script:Transcript = Join-Path $TestDrive 'story.txt'
        $report = Join-Path $TestDrive 'report.pdf'
        $invoice = Join-Path $TestDrive 'invoice.csv'
        Set-Content -Path $report -Value 'quarterly report'
        Set-Content -Path $invoice -Value 'id,amount'

        $null = Start-Transcript -Path $Transcript
        $VerbosePreference = 'Continue'
        try {
            $script:Tenant = Start-EmuTenant -Scenario Fresh
            # Exchange applies a new grant after a while (the doctor says Pending until then): the emulated tenant takes
            # half a second instead of up to an hour, and the story waits with -Wait as an admin would.
            Set-EmuPropagationDelay -Quick -Confirm:$false
            Invoke-Expression $Tenant.ProfileCommand
            Get-SmtpOAuthProfile -Name EmuTenant | Format-List | Out-Host
            $script:Before = @(Test-SmtpOAuthSetup -Profile EmuTenant)
            $Before | Out-Host
            $script:Fixed = @(Test-SmtpOAuthSetup -Profile EmuTenant -Fix -Confirm:$false -Wait -Timeout 30)
            $script:After = @(Test-SmtpOAuthSetup -Profile EmuTenant)
            $After | Out-Host
            $script:Sent = @(1..3 | ForEach-Object { [pscustomobject]@{ To = "reader$_@$($Tenant.Domain)"; Subject = "Report $_" } } |
                Send-SmtpOAuthMessage -Profile EmuTenant -Body 'See the attachments.' -Attachments $report, $invoice -PassThru)
            $Sent | Format-List | Out-Host
            $script:Delivered = @(Get-EmuDeliveredMessage)

            # A token failure: the app's only secret expires, and a profile without a cached token needs a new one.
            Set-EmuApplication -SecretExpired
            Invoke-Expression ($Tenant.ProfileCommand -replace '-Name EmuTenant ', '-Name NoCachedToken ')
            Send-SmtpOAuthMessage -Profile NoCachedToken -To "reader1@$($Tenant.Domain)" -Subject 'After expiry' -ErrorVariable failure -ErrorAction SilentlyContinue
            $script:Failure = $failure
            $failure | Out-Host
        }
        finally {
            $VerbosePreference = 'SilentlyContinue'
            $null = Stop-Transcript
        }

        $script:Secret = (Get-EmuTenant).ClientSecret
        Set-EmuApplication -SecretExpired:$false -ErrorAction SilentlyContinue
    }

    It 'finds what is missing, fixes it, and then every step passes' {
        ($Before | Where-Object Step -eq 'ServicePrincipal').Status | Should -Be 'Fail'
        ($Before | Where-Object Step -eq 'SmtpAuth').Status | Should -Be 'Fail'
        @($After | Where-Object Status -eq 'Fail') | Should -BeNullOrEmpty
        ($After | Where-Object Step -eq 'SmtpHandshake').Status | Should -Be 'Pass'
    }

    It 'delivers every message of the pipeline with its attachments' {
        @($Sent | Where-Object Status -eq 'Sent').Count | Should -Be 3
        $Delivered.Count | Should -Be 3
        foreach ($message in $Delivered) {
            $raw = [System.Text.Encoding]::UTF8.GetString($message.Raw)
            $raw | Should -Match 'filename="?report\.pdf'
            $raw | Should -Match 'filename="?invoice\.csv'
        }
        ($Delivered.Subject | Sort-Object) | Should -Be @('Report 1', 'Report 2', 'Report 3')
    }

    It 'reports the expired secret as a token error that names the fix, and keeps the message' {
        $Failure | Should -Not -BeNullOrEmpty
        $record = @($Failure)[0]
        $record.FullyQualifiedErrorId | Should -BeLike 'TokenClientSecretExpired,*'
        $record.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $record.TargetObject | Should -Not -BeNullOrEmpty
    }

    It 'leaves a transcript with verbose lines and no secret and no token' {
        $text = Get-Content -Raw -Path $Transcript
        $text | Should -Match 'VERBOSE: '
        $text | Should -Match 'SmtpHandshake'
        $text | Should -Not -Match ([regex]::Escape($Secret))
        # A JWT (header.payload.signature, base64url) of any token the story used.
        $text | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.'
    }
}
