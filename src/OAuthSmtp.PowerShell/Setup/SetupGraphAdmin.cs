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
        services.GraphAdmin = Connect(cmdlet, graphAccessToken, resolved.Profile.Cloud, graphEndpoint, out var whyNot);
        services.GraphAdminUnavailableReason = whyNot;

        services.SecretRotation = new SetupSecretRotation(
            graph => new CredentialRotationServices(graph, ProfileResolver.OpenStore(), (request, ct) => TokenAsync(forThisSession(request), ct), new ExchangeSmtpProbe())
            {
                Waiter = services.Waiter,
                SaveVaultSecret = VaultSecretSaver(cmdlet),
            },
            TokenText.Plain(resolved.Secret),
            name =>
            {
                var reloaded = ProfileResolver.Resolve(cmdlet, name);
                var request = forThisSession(new TokenRequest(reloaded.Profile) { Secret = TokenText.Plain(reloaded.Secret) });
                return (reloaded.Profile, new ProfileSetupTokenSource(TokenProvider.Shared, request));
            });
    }

    /// <summary>
    /// The admin's Graph gateway for every setup cmdlet: -GraphAccessToken, else the Connect-MgGraph session; null,
    /// with the reason, when there is neither.
    /// </summary>
    public static IGraphAdmin? Connect(OAuthSmtpCmdlet cmdlet, object? graphAccessToken, CloudName cloud, Uri? graphEndpoint, out string? whyNot)
    {
        whyNot = null;
        if (graphAccessToken is not null)
        {
            // Typed on the command line (no pipeline binding): -GraphEndpoint counts as named explicitly.
            return new HttpGraphAdmin(SetupHttp.Client, TokenText.From(graphAccessToken), cloud, graphEndpoint, endpointNamedExplicitly: graphEndpoint is not null);
        }

        return RunspaceGraphCommands.Connect(cmdlet, cmdlet.WriteVerbose, out whyNot);
    }

    /// <summary>Writes a new secret back to the profile's SecretManagement vault, or null where Set-Secret is not there.</summary>
    public static Action<SmtpOAuthProfile, SecureString>? VaultSecretSaver(PSCmdlet cmdlet) =>
        cmdlet.HasCommand("Set-Secret") ? (profile, secret) => SaveVaultSecret(cmdlet, profile, secret) : null;

    private static async Task<AccessToken> TokenAsync(TokenRequest request, CancellationToken cancellationToken) =>
        (await TokenProvider.Shared.GetTokenAsync(request, cancellationToken).ConfigureAwait(false)).Token;

    private static void SaveVaultSecret(PSCmdlet cmdlet, SmtpOAuthProfile profile, SecureString secret) =>
        cmdlet.InvokeCommand.InvokeScript(
            "param($Name, $Vault, $Secret) if ($Vault) { Set-Secret -Name $Name -Vault $Vault -SecureStringSecret $Secret -ErrorAction Stop } else { Set-Secret -Name $Name -SecureStringSecret $Secret -ErrorAction Stop }",
            profile.SecretName,
            profile.Vault,
            secret);
}
