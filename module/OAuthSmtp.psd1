@{
    RootModule           = 'OAuthSmtp.PowerShell.dll'
    # Imported before the root module: makes the engine (dependencies/) resolvable in the module's own load context.
    NestedModules        = @('OAuthSmtp.DependencyLoader.dll')
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5f0c8d2e-7a41-4c8e-9d0b-3b6f2a9e1c47'
    Author               = 'OAuthSmtp developers'
    CompanyName          = 'OAuthSmtp'
    Copyright            = '(c) OAuthSmtp developers. MIT License.'
    Description          = 'Send mail through Exchange Online SMTP with OAuth2 (XOAUTH2) from scripts and scheduled tasks, and check and fix the tenant setup that OAuth SMTP needs.'
    PowerShellVersion    = '5.1'
    # The help ships in en-US; its pages are read online at the address each cmdlet's HelpUri gives (Get-Help -Online).
    HelpInfoUri          = 'https://github.com/oauthsmtp/OAuthSmtp/tree/main/docs/help'
    DotNetFrameworkVersion = '4.7.2'
    CLRVersion           = '4.0'
    FormatsToProcess     = @(
        'OAuthSmtp.Profile.format.ps1xml',
        'OAuthSmtp.Token.format.ps1xml',
        'OAuthSmtp.Send.format.ps1xml',
        'OAuthSmtp.Setup.format.ps1xml',
        'OAuthSmtp.Relay.format.ps1xml',
        'OAuthSmtp.Provisioning.format.ps1xml',
        'OAuthSmtp.Settings.format.ps1xml',
        'OAuthSmtp.Credential.format.ps1xml'
    )
    CmdletsToExport      = @(
        'New-SmtpOAuthProfile',
        'Get-SmtpOAuthProfile',
        'Set-SmtpOAuthProfile',
        'Remove-SmtpOAuthProfile',
        'Get-SmtpOAuthToken',
        'Send-SmtpOAuthMessage',
        'Test-SmtpOAuthSetup',
        'Install-SmtpOAuthRelay',
        'Uninstall-SmtpOAuthRelay',
        'Get-SmtpOAuthRelay',
        'Start-SmtpOAuthRelay',
        'Stop-SmtpOAuthRelay',
        'Add-SmtpOAuthRelayClient',
        'Get-SmtpOAuthRelayClient',
        'Remove-SmtpOAuthRelayClient',
        'Initialize-SmtpOAuthSetup',
        'Get-SmtpOAuthSettings',
        'Update-SmtpOAuthCredential'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Exchange', 'ExchangeOnline', 'SMTP', 'OAuth', 'OAuth2', 'XOAUTH2', 'Email', 'Send-MailMessage', 'MSAL', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/oauthsmtp/OAuthSmtp'
            LicenseUri   = 'https://github.com/oauthsmtp/OAuthSmtp/blob/main/LICENSE'
            ReleaseNotes = '0.1.0: connection profiles, app-only and delegated tokens, Send-SmtpOAuthMessage over XOAUTH2, Test-SmtpOAuthSetup with -Fix.'
        }
    }
}
