using System;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using OAuthSmtp.Emulator;
using OAuthSmtp.Hosting;

namespace OAuthSmtp.IsolationProbe;

/// <summary>
/// Usage: OAuthSmtp.IsolationProbe other-first|oauthsmtp-first. Uses the "other module's" MSAL 4.61 and OAuthSmtp's
/// Get-SmtpOAuthToken in the given order against the emulator, then both again, and prints one line per fact:
/// "other-token ok", "oauthsmtp-token ok", "context Microsoft.Identity.Client 4.92.0.0 OAuthSmtp", …
/// Exit code 0 only when both modules' MSAL worked.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var otherFirst = args.FirstOrDefault() switch
        {
            "other-first" => true,
            "oauthsmtp-first" => false,
            _ => throw new ArgumentException("Usage: OAuthSmtp.IsolationProbe other-first|oauthsmtp-first"),
        };

        TestEnvironment.UseIsolatedHome();
        await using var emulator = await ExchangeOnlineEmulator.StartAsync();
        emulator.CertificateAuthority.TrustInCurrentUserRootStore();
        var tenant = emulator.Reset(Scenario.Ready);
        var profileHome = Path.Combine(Path.GetTempPath(), "oauthsmtp-isolation-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profileHome);
        Environment.SetEnvironmentVariable("OAUTHSMTP_HOME", profileHome);

        var ok = true;
        if (otherFirst)
        {
            ok &= await UseOtherModulesMsal(tenant);
        }

        using (var session = new PowerShellSession(PowerShellSessionOptions.WithOAuthSmtp()))
        {
            ok &= UseOAuthSmtp(session, tenant);
            if (!otherFirst)
            {
                ok &= await UseOtherModulesMsal(tenant);
            }

            // Both again, after both are loaded.
            ok &= UseOAuthSmtp(session, tenant);
        }

        ok &= await UseOtherModulesMsal(tenant);

        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name is "Microsoft.Identity.Client" or "MailKit" or "OAuthSmtp.Engine"))
        {
            Console.WriteLine($"context {assembly.GetName().Name} {assembly.GetName().Version} {AssemblyLoadContext.GetLoadContext(assembly)?.Name}");
        }

        Directory.Delete(profileHome, recursive: true);
        return ok ? 0 : 1;
    }

    private static async Task<bool> UseOtherModulesMsal(ScenarioInfo tenant)
    {
        try
        {
            var app = ConfidentialClientApplicationBuilder.Create(tenant.ClientId!.Value.ToString())
                .WithClientSecret(tenant.ClientSecret)
                .WithAuthority(tenant.Authority.ToString(), validateAuthority: false)
                .WithInstanceDiscovery(false)
                .Build();
            var result = await app.AcquireTokenForClient(new[] { "https://outlook.office365.com/.default" }).ExecuteAsync();
            Console.WriteLine($"other-token ok (MSAL {typeof(ConfidentialClientApplicationBuilder).Assembly.GetName().Version}, expires {result.ExpiresOn:u})");
            return true;
        }
        catch (Exception ex)
        {
            Console.WriteLine("other-token failed: " + ex.GetType().FullName + ": " + ex.Message);
            return false;
        }
    }

    private static bool UseOAuthSmtp(PowerShellSession session, ScenarioInfo tenant)
    {
        var result = session.Run(
            "$secret = [System.Net.NetworkCredential]::new('', $args[0]).SecurePassword" + Environment.NewLine +
            "$token = Get-SmtpOAuthToken -TenantId $args[1] -ClientId $args[2] -ClientSecret $secret -AuthorityHost $args[3] -ErrorAction Stop" + Environment.NewLine +
            "$token.Audience",
            parameters: null,
            arguments: new object[] { tenant.ClientSecret!, tenant.TenantId.ToString(), tenant.ClientId!.Value.ToString(), tenant.AuthorityHost.ToString() });
        if (result.HadTerminatingError || result.Errors.Count > 0 || result.Output.Count != 1)
        {
            Console.WriteLine("oauthsmtp-token failed: " + result.ErrorText);
            return false;
        }

        Console.WriteLine("oauthsmtp-token ok (audience " + result.Output[0] + ")");
        return true;
    }
}
