using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Setup.Rotation;
using OAuthSmtp.Engine.Tokens;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Profiles;
using OAuthSmtp.PowerShell.Tokens;

namespace OAuthSmtp.PowerShell.Setup;

/// <summary>
/// Test-SmtpOAuthSetup's Entra half: the admin's Graph gateway (-GraphAccessToken, else the Connect-MgGraph session)
/// and what -Fix needs to rotate an expired secret (the profile store and vault, the module's token provider, and
/// re-reading the profile afterwards). Only wiring: the decisions are the engine's (EntraFixes, SetupWorkflow).
/// </summary>
internal static class SetupGraphAdmin
{
    /// <summary>Sets <see cref="SetupServices.GraphAdmin"/> (or the reason there is none) and <see cref="SetupServices.SecretRotation"/>.</summary>
    public static void Wire(OAuthSmtpCmdlet cmdlet, SetupServices services, ResolvedProfile resolved, object? graphAccessToken, Uri? graphEndpoint, Func<TokenRequest, TokenRequest> forThisSession)
    {
        if (graphAccessToken is not null)
        {
            // Typed on the command line (no pipeline binding): -GraphEndpoint counts as named explicitly.
            services.GraphAdmin = new HttpGraphAdmin(SetupHttp.Client, TokenText.From(graphAccessToken), resolved.Profile.Cloud, graphEndpoint, endpointNamedExplicitly: graphEndpoint is not null);
        }
        else
        {
            services.GraphAdmin = RunspaceGraphCommands.Connect(cmdlet, cmdlet.WriteVerbose, out var whyNot);
            services.GraphAdminUnavailableReason = whyNot;
        }

        services.SecretRotation = new SetupSecretRotation(
            graph => new CredentialRotationServices(graph, ProfileResolver.OpenStore(), (request, ct) => TokenAsync(forThisSession(request), ct), new ExchangeSmtpProbe())
            {
                Waiter = services.Waiter,
                SaveVaultSecret = cmdlet.InvokeCommand.GetCommand("Set-Secret", CommandTypes.Cmdlet | CommandTypes.Function) is null ? null : (profile, secret) => SaveVaultSecret(cmdlet, profile, secret),
            },
            TokenText.Plain(resolved.Secret),
            name =>
            {
                var reloaded = ProfileResolver.Resolve(cmdlet, name);
                var request = forThisSession(new TokenRequest(reloaded.Profile) { Secret = TokenText.Plain(reloaded.Secret) });
                return (reloaded.Profile, new ProfileSetupTokenSource(TokenProvider.Shared, request));
            });
    }

    private static async Task<AccessToken> TokenAsync(TokenRequest request, CancellationToken cancellationToken) =>
        (await TokenProvider.Shared.GetTokenAsync(request, cancellationToken).ConfigureAwait(false)).Token;

    private static void SaveVaultSecret(PSCmdlet cmdlet, SmtpOAuthProfile profile, SecureString secret) =>
        cmdlet.InvokeCommand.InvokeScript(
            "param($Name, $Vault, $Secret) if ($Vault) { Set-Secret -Name $Name -Vault $Vault -SecureStringSecret $Secret -ErrorAction Stop } else { Set-Secret -Name $Name -SecureStringSecret $Secret -ErrorAction Stop }",
            profile.SecretName,
            profile.Vault,
            secret);
}
