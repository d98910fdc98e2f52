#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Send-SmtpOAuthMessage without a server: parity with the real Send-MailMessage, and the bad input that is refused
# before anything is sent. (Sending itself is tested against the emulator in tests/OAuthSmtp.PowerShell.Tests/Sending.)

BeforeDiscovery {
    # -Skip is evaluated during discovery, so its value is computed here.
    $sendMailMessageAvailable = [bool](Get-Command Send-MailMessage -ErrorAction SilentlyContinue)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1') -Force
    $script:CommandSuffix = ',OAuthSmtp.PowerShell.Commands.SendSmtpOAuthMessageCommand'
    $script:Ours = Get-Command Send-SmtpOAuthMessage
    $script:Theirs = Get-Command Send-MailMessage -ErrorAction SilentlyContinue
    # A token that is never sent: every call below fails validation first.
    $script:Token = [System.Net.NetworkCredential]::new('', 'not-a-real-token').SecurePassword
    # Nothing here may read or write the user's own profiles.
    $script:PreviousHome = $env:OAUTHSMTP_HOME
    $env:OAUTHSMTP_HOME = Join-Path $TestDrive 'oauthsmtp-home'

    function Get-ParameterFacts($Command, $Name, $SetName) {
        $parameter = $Command.Parameters[$Name]
        $set = if ($parameter.ParameterSets.ContainsKey($SetName)) { $parameter.ParameterSets[$SetName] } else { $parameter.ParameterSets['__AllParameterSets'] }
        [pscustomobject]@{
            Type          = $parameter.ParameterType.FullName
            Aliases       = @($parameter.Aliases)
            Position      = $set.Position
            Mandatory     = $set.IsMandatory
            ByValue       = $set.ValueFromPipeline
            ByPropertyName = $set.ValueFromPipelineByPropertyName
        }
    }
}

AfterAll {
    $env:OAUTHSMTP_HOME = $script:PreviousHome
}

Describe 'Send-SmtpOAuthMessage parameter parity with Send-MailMessage' -Tag 'CI' {
    It 'has every Send-MailMessage parameter with the same type, aliases, position and pipeline binding' -Skip:(-not $sendMailMessageAvailable) {
        $common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
        # Send-SmtpOAuthMessage follows PowerShell 7's Send-MailMessage: -From defaults to the profile mailbox, and
        # -Subject is optional (Windows PowerShell 5.1 still makes it mandatory).
        $mandatoryDiffers = @('From')
        if ($PSVersionTable.PSEdition -eq 'Desktop') { $mandatoryDiffers += 'Subject' }
        foreach ($name in $Theirs.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $Ours.Parameters.ContainsKey($name) | Should -BeTrue -Because "-$name is a Send-MailMessage parameter"
            $theirFacts = Get-ParameterFacts $Theirs $name '__AllParameterSets'
            $ourFacts = Get-ParameterFacts $Ours $name 'Fields'
            $ourFacts.Type | Should -BeExactly $theirFacts.Type -Because "-$name keeps its type"
            $ourFacts.Position | Should -Be $theirFacts.Position -Because "-$name keeps its position"
            foreach ($alias in $theirFacts.Aliases) { $ourFacts.Aliases | Should -Contain $alias -Because "-$name keeps alias $alias" }
            $ourFacts.ByValue | Should -Be $theirFacts.ByValue -Because "-$name keeps pipeline input by value"
            $ourFacts.ByPropertyName | Should -Be $theirFacts.ByPropertyName -Because "-$name keeps pipeline input by property name"
            if ($name -notin $mandatoryDiffers) {
                $ourFacts.Mandatory | Should -Be $theirFacts.Mandatory -Because "-$name keeps whether it is mandatory"
            }
        }
    }

    It 'makes -From optional, defaulting to the profile mailbox' {
        (Get-ParameterFacts $Ours 'From' 'Fields').Mandatory | Should -BeFalse
    }
}

Describe 'Send-SmtpOAuthMessage bad input' -Tag 'CI' {
    It 'refuses <Case> with <Id> before connecting' -TestCases @(
        @{ Case = 'an invalid address'; Id = 'InvalidEmailAddress'; Arguments = @{ To = 'not an address'; Subject = 's'; From = 'a@contoso.com' } }
        @{ Case = 'no recipients'; Id = 'NoRecipients'; Arguments = @{ To = ' '; Subject = 's'; From = 'a@contoso.com' } }
        @{ Case = 'a line break in the subject'; Id = 'HeaderInjection'; Arguments = @{ To = 'b@fabrikam.com'; Subject = "s`r`nBcc: x@evil.com"; From = 'a@contoso.com' } }
        @{ Case = 'a line break in a header'; Id = 'HeaderInjection'; Arguments = @{ To = 'b@fabrikam.com'; Headers = @{ 'X-A' = "1`nBcc: x@evil.com" }; From = 'a@contoso.com' } }
        @{ Case = 'a reserved header'; Id = 'InvalidHeader'; Arguments = @{ To = 'b@fabrikam.com'; Headers = @{ Bcc = 'x@evil.com' }; From = 'a@contoso.com' } }
        @{ Case = 'a missing attachment'; Id = 'AttachmentNotFound'; Arguments = @{ To = 'b@fabrikam.com'; Attachments = 'TestDrive:/missing.pdf'; From = 'a@contoso.com' } }
        @{ Case = 'a missing message file'; Id = 'InvalidMessageInput'; Arguments = @{ MessagePath = 'TestDrive:/missing.eml' } }
    ) {
        $errors = $null
        Send-SmtpOAuthMessage @Arguments -AccessToken $Token -SmtpServer 127.0.0.1 -Port 9 -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeExactly ($Id + $CommandSuffix)
        $errors[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'stops with SendCredentialMissing when nothing says how to authenticate' {
        { Send-SmtpOAuthMessage -To b@fabrikam.com -From a@contoso.com -Subject s -ErrorAction Stop } |
            Should -Throw -ErrorId ('SendCredentialMissing' + $CommandSuffix)
    }

    It 'never connects under -WhatIf' {
        $errors = $null
        Send-SmtpOAuthMessage -To b@fabrikam.com -From a@contoso.com -Subject s -AccessToken $Token -SmtpServer 127.0.0.1 -Port 9 -WhatIf -ErrorVariable errors
        $errors.Count | Should -Be 0
    }
}

Describe 'Send-SmtpOAuthMessage sends with DATA only' -Tag 'CI' {
    It 'has no -Pipelining switch (the hand-written BDAT path was removed; MailKit sends with DATA)' {
        $Ours.Parameters.ContainsKey('Pipelining') | Should -BeFalse
    }
}

Describe 'Send-SmtpOAuthMessage when sending cannot succeed' -Tag 'CI' {
    BeforeAll {
        # JWT-shaped (never valid anywhere): refused neither as a password nor by a server, since none listens.
        $script:Jwt = [System.Net.NetworkCredential]::new('', 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSJ9.bm90LWEtc2lnbmF0dXJlLWF0LWFsbC1mb3ItdGVzdHM').SecurePassword
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $script:DeadPort = $listener.LocalEndpoint.Port; $listener.Stop()
    }

    It 'tries three rows against a dead server, then fails the rest at once with PipelineHalted, each carried' {
        $errors = $null
        $rows = 1..8 | ForEach-Object { [pscustomobject]@{ To = "user$_@fabrikam.com"; Subject = "Row $_" } }
        $rows | Send-SmtpOAuthMessage -AccessToken $Jwt -From a@contoso.com -SmtpServer 127.0.0.1 -Port $DeadPort -RetryIntervalSec 0 -TimeoutSec 5 `
            -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 8
        $errors[0..2] | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeExactly ('SmtpConnectionFailed' + $CommandSuffix) }
        $errors[3..7] | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -BeExactly ('PipelineHalted' + $CommandSuffix)
            $_.TargetObject.Attempts | Should -Be 0
            $_.TargetObject.Subject | Should -Match '^Row [4-8]$'
        }
    }

    It 'refuses a <Case> attachment with AttachmentUnreadable before connecting' -Skip:$IsWindows -TestCases @(
        @{ Case = 'named pipe'; Kind = 'fifo' }
        @{ Case = 'character device'; Kind = '/dev/zero' }
    ) {
        $path = $Kind
        if ($Kind -eq 'fifo') { $path = Join-Path $TestDrive 'pipe'; mkfifo $path }
        $errors = $null
        Send-SmtpOAuthMessage -To b@fabrikam.com -From a@contoso.com -Subject s -Attachments $path -AccessToken $Jwt -SmtpServer 127.0.0.1 -Port $DeadPort `
            -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeExactly ('AttachmentUnreadable' + $CommandSuffix)
        $errors[0].ErrorDetails.Message | Should -Match $Case
    }

    It 'logs the message content only with -ProtocolLogContent' {
        (Get-Command Send-SmtpOAuthMessage).Parameters['ProtocolLogContent'].ParameterType | Should -Be ([switch])
    }
}
