#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

Describe 'OAuthSmtp module' -Tag 'CI' {
    BeforeAll {
        $script:manifestPath = Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1'
        Import-Module $manifestPath -Force
    }

    AfterAll {
        Remove-Module OAuthSmtp -ErrorAction SilentlyContinue
    }

    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $declared = (Import-PowerShellDataFile $manifestPath).CmdletsToExport | Sort-Object
        $actual = Get-Command -Module OAuthSmtp | ForEach-Object Name | Sort-Object
        $actual | Should -Be $declared
    }

    It 'keeps MSAL and MailKit out of the module root' {
        $root = Split-Path $manifestPath
        Get-ChildItem -Path $root -Filter *.dll | ForEach-Object Name | Sort-Object |
            Should -Be @('OAuthSmtp.DependencyLoader.dll', 'OAuthSmtp.LoadContext.dll', 'OAuthSmtp.PowerShell.dll')
    }
}
