# The emulator's stand-in for ExchangeOnlineManagement: the admin cmdlets an OAuth SMTP setup uses, with the real
# names, parameters and output property names, working on the emulator's tenant model. Test-only.
@{
    RootModule           = '../OAuthSmtp.Emulator.Exchange.dll'
    ModuleVersion        = '3.9.0'
    GUID                 = '5f0c1c52-8f4e-4a57-9f0e-6d1f3c2b7a41'
    Author               = 'OAuthSmtp developers'
    CompanyName          = 'OAuthSmtp'
    Copyright            = '(c) OAuthSmtp developers'
    Description          = 'Exchange Online admin cmdlets (ExchangeOnlineManagement names) against the OAuthSmtp emulator. Test-only.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.0'
    CmdletsToExport      = @(
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
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{ PSData = @{ Tags = @('Emulator', 'ExchangeOnline', 'Test') } }
}
