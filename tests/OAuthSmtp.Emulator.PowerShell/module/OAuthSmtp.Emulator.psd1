# Rehearse in your own shell: an emulated Exchange Online tenant inside a real pwsh session (Start-EmuTenant,
# Stop-EmuTenant), its control cmdlets (Get-EmuTenant, Reset-EmuTenant, Set-Emu*, Get-EmuDeliveredMessage) and the
# emulated Exchange Online admin cmdlets (Connect-ExchangeOnline, New-ServicePrincipal, ...) and the Microsoft Graph
# look-alikes (Connect-MgGraph, Invoke-MgGraphRequest, ...). Test-only: never ship it.
# The build lays it out in out/OAuthSmtp.Emulator. The control assembly loads first: on import it finds Kestrel in the
# ASP.NET Core shared framework beside the .NET runtime.
@{
    NestedModules        = @('OAuthSmtp.Emulator.PowerShell.dll', 'OAuthSmtp.Emulator.Exchange.dll', 'OAuthSmtp.Emulator.Graph.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '822d0205-848f-44b6-afb8-058edb87b7e1'
    Author               = 'OAuthSmtp developers'
    CompanyName          = 'OAuthSmtp'
    Copyright            = '(c) OAuthSmtp developers'
    Description          = 'An emulated Exchange Online tenant for rehearsing OAuthSmtp in a real pwsh session. Test-only.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    CmdletsToExport      = @(
        'Start-EmuTenant'
        'Stop-EmuTenant'
        'Reset-EmuTenant'
        'Get-EmuTenant'
        'Set-EmuApplication'
        'Set-EmuTenantPolicy'
        'Set-EmuMailboxState'
        'Set-EmuPropagationDelay'
        'Set-EmuClock'
        'Set-EmuFault'
        'Set-EmuSmtpSetting'
        'Get-EmuDeliveredMessage'
        'Get-EmuStatistics'
        'Set-EmuAdmin'
        'Get-EmuAdminGraphToken'
        'Set-EmuManagedIdentity'
        'Connect-ExchangeOnline'
        'Disconnect-ExchangeOnline'
        'Get-ConnectionInformation'
        'New-ServicePrincipal'
        'Get-ServicePrincipal'
        'Set-ServicePrincipal'
        'Remove-ServicePrincipal'
        'Add-MailboxPermission'
        'Get-MailboxPermission'
        'Remove-MailboxPermission'
        'Add-RecipientPermission'
        'Get-RecipientPermission'
        'Remove-RecipientPermission'
        'Get-CASMailbox'
        'Set-CASMailbox'
        'Get-EXOCasMailbox'
        'Get-TransportConfig'
        'Set-TransportConfig'
        'Get-AuthenticationPolicy'
        'New-AuthenticationPolicy'
        'Set-AuthenticationPolicy'
        'Get-OrganizationConfig'
        'Get-Mailbox'
        'Get-EXOMailbox'
        'New-ManagementScope'
        'New-ManagementRoleAssignment'
        'Get-ManagementRoleAssignment'
        'Test-ServicePrincipalAuthorization'
        'Connect-MgGraph'
        'Disconnect-MgGraph'
        'Get-MgContext'
        'Invoke-MgGraphRequest'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{ PSData = @{ Tags = @('Emulator', 'Test') } }
}
