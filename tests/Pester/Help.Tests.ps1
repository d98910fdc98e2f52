#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Help as a user reaches it in the real shell (issue 15, fix 7): Get-Help -Online has an address, every page is
# there, -GraphEndpoint is documented, and Tab completes encodings and certificate thumbprints, never file names.

BeforeDiscovery {
    # The test cases are the exported cmdlets: the module must be there when Pester discovers the tests.
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1') -Force
    $script:CommandCases = @(Get-Command -Module OAuthSmtp | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1') -Force
    $script:OnlineBase = 'https://github.com/oauthsmtp/OAuthSmtp/blob/main/docs/help/'
    $script:HelpFolder = Join-Path $PSScriptRoot '../../docs/help'

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }
}

AfterAll {
    Remove-Module OAuthSmtp -ErrorAction SilentlyContinue
}

Describe 'Help links' -Tag 'CI' {
    It 'has every cmdlet the manifest exports to check' {
        $exported = (Import-PowerShellDataFile "$PSScriptRoot/../../out/OAuthSmtp/OAuthSmtp.psd1").CmdletsToExport
        @(Get-Command -Module OAuthSmtp).Count | Should -Be $exported.Count
        $exported.Count | Should -BeGreaterThan 7
    }

    It '<Name> opens its page in the repository with Get-Help -Online' -TestCases $CommandCases {
        $command = Get-Command $Name
        $command.HelpUri | Should -BeExactly "$OnlineBase$Name.md"
        Join-Path $HelpFolder "$Name.md" | Should -Exist
        # Get-Help -Online opens the help's first related link when it is an address.
        $first = @((Get-Help $Name).relatedLinks.navigationLink)[0]
        $first.uri | Should -BeExactly $command.HelpUri
    }

    It 'names where the help lives in the manifest (HelpInfoUri)' {
        (Get-Module OAuthSmtp).HelpInfoUri | Should -Match '^https://github\.com/oauthsmtp/OAuthSmtp/'
    }

    It 'documents Test-SmtpOAuthSetup -GraphEndpoint' {
        $help = Get-Help Test-SmtpOAuthSetup -Parameter GraphEndpoint
        $help.type.name | Should -Be 'Uri'
        ($help.description | Out-String) | Should -Match 'OAUTHSMTP_GRAPH_ENDPOINT'
    }
}

Describe 'Tab completion of -Encoding and -CertificateThumbprint' -Tag 'CI' {
    BeforeAll {
        # A folder with files named like the typed text: file-name completion would offer them.
        $script:Folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'completion')
        New-Item -ItemType File -Path (Join-Path $Folder 'utf-notes.txt'), (Join-Path $Folder '0A-notes.txt') | Out-Null
        Push-Location $Folder
    }

    AfterAll {
        Pop-Location
    }

    It '-Encoding offers the encoding names, not file names' {
        Get-Completion 'Send-SmtpOAuthMessage -To a@b.c -Encoding ' | Should -Be @('utf8', 'utf8NoBOM', 'utf8BOM', 'ascii', 'latin1', 'unicode', 'bigendianunicode', 'utf32', 'oem')
        Get-Completion 'Send-SmtpOAuthMessage -To a@b.c -Encoding utf' | Should -Be @('utf8', 'utf8NoBOM', 'utf8BOM', 'utf32')
    }

    It '-CertificateThumbprint offers thumbprints from the personal store, never file names' {
        $offered = Get-Completion 'New-SmtpOAuthProfile -Name X -CertificateThumbprint 0A'
        $offered | Where-Object { $_ -notmatch '^[0-9A-F]{40}$' } | Should -BeNullOrEmpty
        if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
            $withKey = @(Get-ChildItem Cert:\CurrentUser\My | Where-Object { $_.HasPrivateKey -and $_.Thumbprint -like '0A*' })
            $offered.Count | Should -Be $withKey.Count
        }
    }
}
