# Control of the OAuthSmtp Exchange Online emulator: scenarios, Entra-side changes, faults, and what happened. Test-only.
@{
    RootModule           = '../OAuthSmtp.Emulator.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '0b7c3f7e-5d0a-4a3e-9c1e-2f6a8d9b4c10'
    Author               = 'OAuthSmtp developers'
    CompanyName          = 'OAuthSmtp'
    Copyright            = '(c) OAuthSmtp developers'
    Description          = 'Scenario and fault control for the OAuthSmtp Exchange Online emulator. Test-only.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.0'
    CmdletsToExport      = @(
        'Reset-EmuTenant'
        'Get-EmuTenant'
        'Set-EmuApplication'
        'Set-EmuTenantPolicy'
        'Set-EmuMailboxState'
        'Set-EmuPropagationDelay'
        'Set-EmuClock'
        'Set-EmuFault'
        'Set-EmuSmtpSetting'
        'Set-EmuManagedIdentity'
        'Set-EmuAdmin'
        'Get-EmuAdminGraphToken'
        'Get-EmuDeliveredMessage'
        'Get-EmuStatistics'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{ PSData = @{ Tags = @('PSEdition_Core', 'Test') } }
}
