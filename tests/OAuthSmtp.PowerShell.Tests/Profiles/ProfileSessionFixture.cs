using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.Versioning;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Profiles;

/// <summary>One runspace with the laid-out module for a whole test class: importing is the slow part.</summary>
public sealed class ProfileSessionFixture : IDisposable
{
    public PowerShellSession Session { get; } = new(PowerShellSessionOptions.WithOAuthSmtp());

    public void Dispose() => Session.Dispose();
}

/// <summary>
/// Each test gets an empty profile store of its own: $env:OAUTHSMTP_HOME points at a fresh temporary folder
/// (the variable is process-wide; this project runs its tests one at a time).
/// </summary>
public abstract class ProfileTestBase : IClassFixture<ProfileSessionFixture>, IDisposable
{
    protected const string TenantId = "contoso.onmicrosoft.com";
    protected const string ClientId = "3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53";
    protected const string Secret = "Xq8~Sup3rSecret.ClientValue-2718";

    /// <summary>Defines $secret (a SecureString of <see cref="Secret"/>) and $unprotected (the switch DPAPI-less systems need).</summary>
    protected static readonly string Prelude =
        $"$secret = [System.Net.NetworkCredential]::new('', '{Secret}').SecurePassword" + Environment.NewLine +
        "$unprotected = -not $IsWindows" + Environment.NewLine;

    protected ProfileTestBase(ProfileSessionFixture fixture)
    {
        Session = fixture.Session;
        Home = Path.Combine(Path.GetTempPath(), "oauthsmtp-profile-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Home);
        Environment.SetEnvironmentVariable("OAUTHSMTP_HOME", Home);
    }

    protected PowerShellSession Session { get; }

    protected string Home { get; }

    protected string ProfilesFile => Path.Combine(Home, "profiles.json");

    [SupportedOSPlatformGuard("windows")]
    protected static bool IsWindows => OperatingSystem.IsWindows();

    protected ScriptResult Run(string script, bool render = false) => Session.Run(Prelude + script, render);

    /// <summary>Runs a script that must succeed, and returns its result.</summary>
    protected ScriptResult RunOk(string script, bool render = false)
    {
        var result = Run(script, render);
        Assert.True(!result.HadTerminatingError && result.Errors.Count == 0, "The script failed: " + result.ErrorText);
        return result;
    }

    protected static T Property<T>(PSObject item, string name) => (T)LanguagePrimitives.ConvertTo(item.Properties[name].Value, typeof(T));

    /// <summary>Exactly one error, with the full id, category and a fix.</summary>
    protected static ErrorRecord AssertSingleError(ScriptResult result, string errorId, string commandClass, ErrorCategory category)
    {
        var record = Assert.Single(result.AllErrors);
        Assert.Equal($"{errorId},OAuthSmtp.PowerShell.Commands.{commandClass}", record.FullyQualifiedErrorId);
        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails?.Message), "The error has no message.");
        Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails?.RecommendedAction), "The error names no fix.");
        Assert.DoesNotContain("   at ", record.ErrorDetails!.Message, StringComparison.Ordinal);
        return record;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("OAUTHSMTP_HOME", null);
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
