using System.Management.Automation;
using System.Net;
using System.Security;
using OAuthSmtp.Emulator.Tokens;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>
/// A delegated Graph access token of the scenario's administrator (what Connect-MgGraph holds), for the paths that take
/// a token directly (Initialize-SmtpOAuthSetup -GraphAccessToken, Connect-MgGraph -AccessToken). -Scopes are consented
/// first as at a sign-in. The token comes as a SecureString: it never appears in output.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EmuAdminGraphToken")]
[OutputType(typeof(SecureString))]
public sealed class GetEmuAdminGraphTokenCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public string[]? Scopes { get; set; }

    protected override void ProcessRecord()
    {
        var emulator = EmulatorSession.Get(this);
        try
        {
            var token = emulator.Tokens.SignInAdministratorToGraph(Scopes);
            WriteObject(new NetworkCredential(string.Empty, token.AccessToken).SecurePassword);
        }
        catch (SignInRefusedException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "SignInRefused", ErrorCategory.AuthenticationError, Scopes));
        }
    }
}
