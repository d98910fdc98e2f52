namespace OAuthSmtp.PowerShell.Hosting;

/// <summary>
/// Each cmdlet's HelpUri (Get-Help -Online): its platyPS page in the repository, the same address the page's
/// "online version" front matter gives (tools/OAuthSmtp.ModuleTools checks the pages, a test checks the cmdlets).
/// </summary>
internal static class HelpLinks
{
    public const string Base = "https://github.com/oauthsmtp/OAuthSmtp/blob/main/docs/help/";
}
