# The emulator's stand-in for Microsoft.Graph.Authentication: Connect-MgGraph, Get-MgContext, Invoke-MgGraphRequest and
# Disconnect-MgGraph with the real names, parameters and output property names, against the emulator's Graph. Test-only.
@{
    RootModule           = '../OAuthSmtp.Emulator.Graph.dll'
    ModuleVersion        = '2.25.0'
    GUID                 = '0b6f2a7e-3c1d-4f8e-9a52-7d4c1e6b9f30'
    Author               = 'OAuthSmtp developers'
    CompanyName          = 'OAuthSmtp'
    Copyright            = '(c) OAuthSmtp developers'
    Description          = 'Microsoft Graph PowerShell authentication cmdlets (Microsoft.Graph.Authentication names) against the OAuthSmtp emulator. Test-only.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.0'
    CmdletsToExport      = @(
        'Connect-MgGraph'
        'Disconnect-MgGraph'
        'Get-MgContext'
        'Invoke-MgGraphRequest'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @('Connect-Graph', 'Disconnect-Graph', 'Invoke-GraphRequest')
    VariablesToExport    = @()
    PrivateData          = @{ PSData = @{ Tags = @('Emulator', 'MicrosoftGraph', 'Test') } }
}
