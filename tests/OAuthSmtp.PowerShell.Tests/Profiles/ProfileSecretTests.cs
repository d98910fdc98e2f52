using System;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Profiles;

/// <summary>
/// The secret never shows: not in any stream, error, rendered view or file the module wrote (except the DPAPI
/// blob, or the user-only file the user asked for), and the cmdlet-side resolver gives it back for use.
/// </summary>
public sealed class ProfileSecretTests : ProfileTestBase
{
    private const string NewSecret = "Rotated~Secret.Value-31415";

    public ProfileSecretTests(ProfileSessionFixture fixture)
        : base(fixture)
    {
    }

    [Fact]
    public void The_secret_appears_in_no_stream_no_view_and_no_file()
    {
        var script = $"""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
            $newSecret = [System.Net.NetworkCredential]::new('', '{NewSecret}').SecurePassword
            New-SmtpOAuthProfile -Name Scanner -TenantId {TenantId} -ClientId {ClientId} -ClientSecret $secret -AllowUnprotectedSecret:$unprotected -Mailbox scanner@contoso.com -Verbose -Debug
            Get-SmtpOAuthProfile -Verbose -Debug
            New-SmtpOAuthProfile -Name Scanner -TenantId {TenantId} -ClientId {ClientId} -ClientSecret $secret -Mailbox scanner@contoso.com -Verbose
            New-SmtpOAuthProfile -Name Broken -TenantId {TenantId} -ClientId {ClientId} -ClientSecret $secret -Mailbox 'not an address' -Verbose
            New-SmtpOAuthProfile -Name Twice -TenantId {TenantId} -ClientId {ClientId} -ClientSecret $secret -Interactive -Mailbox a@contoso.com
            Set-SmtpOAuthProfile -Name Scanner -ClientSecret $newSecret -AllowUnprotectedSecret:$unprotected -Verbose -Debug -PassThru
            """;
        var result = Run(script);
        Assert.Contains(result.AllErrors, e => e.FullyQualifiedErrorId.StartsWith("ProfileAlreadyExists", StringComparison.Ordinal));
        Assert.Contains(result.AllErrors, e => e.FullyQualifiedErrorId.StartsWith("InvalidMailbox", StringComparison.Ordinal));
        Assert.Contains(result.AllErrors, e => e.FullyQualifiedErrorId.StartsWith("ConflictingCredentials", StringComparison.Ordinal));
        Assert.Contains(result.Verbose, v => v.Contains("Saved profile 'Scanner'", StringComparison.Ordinal));
        Assert.Contains(result.Verbose, v => v.Contains("Changed profile 'Scanner'", StringComparison.Ordinal));

        // The same again as a console shows it: every stream rendered, format views included.
        var rendered = Run(script.Replace("-Name Scanner -TenantId", "-Name Rendered -TenantId").Replace("-Name Scanner -ClientSecret", "-Name Rendered -ClientSecret"), render: true);
        Assert.Contains("Rendered", rendered.HostText);

        var visible = result.EverythingVisible() + rendered.EverythingVisible();
        Assert.Contains("SecretProtection", visible);
        Assert.DoesNotContain(Secret, visible);
        Assert.DoesNotContain(NewSecret, visible);

        foreach (var file in Directory.EnumerateFiles(Home, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file, Encoding.UTF8);
            Assert.DoesNotContain(Secret, text);
            var isSecretFile = Path.GetDirectoryName(file) == Path.Combine(Home, "secrets");
            if (!isSecretFile)
            {
                Assert.DoesNotContain(NewSecret, text);
            }
            else
            {
                Assert.False(IsWindows, "Windows keeps secrets with DPAPI, not in files.");
                Assert.Equal(NewSecret, text);
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
                }
            }
        }

        if (!IsWindows)
        {
            Assert.Equal(2, Directory.EnumerateFiles(Path.Combine(Home, "secrets")).Count());
        }
        else
        {
            Assert.Contains("\"protectedSecret\"", File.ReadAllText(ProfilesFile));
        }
    }

    [Fact]
    public void The_resolver_returns_the_stored_secret_for_use()
    {
        var result = RunOk($$"""
            New-SmtpOAuthProfile -Name Scanner -TenantId {{TenantId}} -ClientId {{ClientId}} -ClientSecret $secret -AllowUnprotectedSecret:$unprotected -Mailbox scanner@contoso.com | Out-Null
            function Use-Profile { [CmdletBinding()] param([string] $Name) [OAuthSmtp.PowerShell.Profiles.ProfileResolver]::Resolve($PSCmdlet, $Name) }
            $resolved = Use-Profile Scanner
            $resolved.Profile.Name
            [System.Net.NetworkCredential]::new('', $resolved.Secret).Password -eq '{{Secret}}'
            """);
        Assert.Equal(new object[] { "Scanner", true }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void The_resolver_fetches_a_vault_secret_with_Get_Secret()
    {
        var result = RunOk($$"""
            New-SmtpOAuthProfile -Name Vaulted -TenantId {{TenantId}} -ClientId {{ClientId}} -SecretName SmtpApp -Vault CorpVault -Mailbox app@contoso.com | Out-Null
            function Use-Profile { [CmdletBinding()] param([string] $Name) [OAuthSmtp.PowerShell.Profiles.ProfileResolver]::Resolve($PSCmdlet, $Name) }
            & {
                # A stand-in for SecretManagement's Get-Secret, visible only inside this block.
                function Get-Secret { param($Name, $Vault) if ($Name -eq 'SmtpApp' -and $Vault -eq 'CorpVault') { $secret } else { throw "No secret $Name in $Vault" } }
                $resolved = Use-Profile Vaulted
                [System.Net.NetworkCredential]::new('', $resolved.Secret).Password -eq '{{Secret}}'
            }
            """);
        Assert.Equal(true, Assert.Single(result.Output).BaseObject);
        Assert.False(Directory.Exists(Path.Combine(Home, "secrets")));
        Assert.DoesNotContain(Secret, File.ReadAllText(ProfilesFile));
    }

    [Fact]
    public void The_resolver_explains_a_missing_SecretManagement_module()
    {
        var result = Run($$"""
            New-SmtpOAuthProfile -Name Vaulted -TenantId {{TenantId}} -ClientId {{ClientId}} -SecretName SmtpApp -Mailbox app@contoso.com | Out-Null
            function Use-Profile { [CmdletBinding()] param([string] $Name) try { [OAuthSmtp.PowerShell.Profiles.ProfileResolver]::Resolve($PSCmdlet, $Name) } catch { $_.Exception.InnerException.ErrorId; $_.Exception.InnerException.Fix } }
            Use-Profile Vaulted
            """);
        Assert.Equal("SecretManagementNotAvailable", result.Output[0].BaseObject);
        Assert.Contains("Install-Module Microsoft.PowerShell.SecretManagement", (string)result.Output[1].BaseObject);
    }
}
