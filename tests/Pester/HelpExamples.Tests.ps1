#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The output the help's examples show is what a run shows (issue 15, Help): tools/Update-HelpExamples.ps1 -Check runs
# every generated example in a fresh real pwsh against the emulated tenant and fails when a committed output block
# differs from the run in more than ids, dates, times and the emulator's ports.

BeforeDiscovery {
    # As EndToEnd.Tests.ps1: the emulator runs on PowerShell 7, and on Windows trusting its CA would open a dialog.
    $script:CanRehearse = $PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows
}

Describe 'Example outputs in docs/help' -Tag 'CI' -Skip:(-not $CanRehearse) {
    BeforeAll {
        $script:Script = Join-Path $PSScriptRoot '../../tools/Update-HelpExamples.ps1'
        $pwshDll = Join-Path $PSHOME 'pwsh.dll'
        $script:Output = if (Test-Path $pwshDll) {
            & dotnet $pwshDll -NoProfile -NonInteractive -File $Script -Check *>&1 | Out-String
        }
        else {
            & (Get-Process -Id $PID).Path -NoProfile -NonInteractive -File $Script -Check *>&1 | Out-String
        }
        $script:ExitCode = $LASTEXITCODE
    }

    It 'match what a run against the emulated tenant shows' {
        $ExitCode | Should -Be 0 -Because $Output
        $Output | Should -Match 'Every generated example output matches a run \(\d+ examples\)'
    }
}
