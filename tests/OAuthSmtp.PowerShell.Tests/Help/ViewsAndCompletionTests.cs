using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Help;

/// <summary>
/// What makes the module feel first-party at the console: every type a cmdlet outputs has a table view and a list
/// view (and no view shows a secret), and every parameter that names a profile completes on Tab.
/// </summary>
public sealed class ViewsAndCompletionTests : IClassFixture<ModuleSessionFixture>, IDisposable
{
    private const string ClientId = "3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53";
    private readonly PowerShellSession _session;
    private readonly string _home = Path.Combine(Path.GetTempPath(), "oauthsmtp-view-tests", Guid.NewGuid().ToString("N"));
    private readonly string? _previousHome = Environment.GetEnvironmentVariable("OAUTHSMTP_HOME");

    public ViewsAndCompletionTests(ModuleSessionFixture fixture)
    {
        _session = fixture.Session;
        Directory.CreateDirectory(_home);
        Environment.SetEnvironmentVariable("OAUTHSMTP_HOME", _home);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("OAUTHSMTP_HOME", _previousHome);
        Directory.Delete(_home, recursive: true);
    }

    private ScriptResult RunOk(string script, bool render = false)
    {
        var result = _session.Run(script, render);
        Assert.False(result.HadTerminatingError, result.ErrorText);
        Assert.Empty(result.Errors);
        return result;
    }

    /// <summary>Type name → the kinds of view (Table, List) the module's format files define for it.</summary>
    private static Dictionary<string, HashSet<string>> ViewsByType()
    {
        var views = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(PowerShellSession.ModuleFolder, "*.format.ps1xml"))
        {
            foreach (var view in XDocument.Load(file).Descendants("View"))
            {
                var kind = view.Element("TableControl") is not null ? "Table" : view.Element("ListControl") is not null ? "List" : "Other";
                foreach (var type in view.Element("ViewSelectedBy")?.Elements("TypeName") ?? Enumerable.Empty<XElement>())
                {
                    (views.TryGetValue(type.Value, out var kinds) ? kinds : views[type.Value] = new HashSet<string>()).Add(kind);
                }
            }
        }

        return views;
    }

    [Fact]
    public void Every_cmdlet_declares_what_it_outputs()
    {
        var undeclared = RunOk("""
            foreach ($command in Get-Command -Module OAuthSmtp) {
                if (@($command.OutputType).Count -eq 0) { $command.Name }
            }
            """).Output.Select(o => o.ToString());

        Assert.Empty(undeclared);
    }

    [Fact]
    public void Every_output_type_has_a_table_and_a_list_view()
    {
        var outputTypes = RunOk("""
            foreach ($command in Get-Command -Module OAuthSmtp) {
                foreach ($type in $command.OutputType) { $type.Name }
            }
            """).Output.Select(o => o.ToString()).Distinct()
            .Where(name => !name.StartsWith("System.", StringComparison.Ordinal))
            .ToList();
        var views = ViewsByType();

        Assert.NotEmpty(outputTypes);
        var missing = outputTypes
            .SelectMany(type => new[] { "Table", "List" }
                .Where(kind => !(views.TryGetValue(type, out var kinds) && kinds.Contains(kind)))
                .Select(kind => $"{type} has no {kind} view"))
            .ToList();
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public void No_view_shows_a_secret_or_a_token()
    {
        var forbidden = new[] { "AccessToken", "Token", "RawToken", "ClientSecret", "Password", "CertificatePassword", "Secret" };
        foreach (var file in Directory.GetFiles(PowerShellSession.ModuleFolder, "*.format.ps1xml"))
        {
            var shown = XDocument.Load(file).Descendants("PropertyName").Select(p => p.Value.Trim());
            Assert.DoesNotContain(shown, name => forbidden.Contains(name, StringComparer.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void A_decoded_token_shows_its_claims_and_never_the_token()
    {
        var token = Jwt(new Dictionary<string, object>
        {
            ["aud"] = "https://outlook.office365.com",
            ["tid"] = "6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            ["appid"] = ClientId,
            ["oid"] = "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a",
            ["roles"] = new[] { "SMTP.SendAsApp" },
            ["idtyp"] = "app",
            ["iat"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(55).ToUnixTimeSeconds(),
        });

        // The table view as the console shows it, and the object itself (what Format-List and ConvertTo-Json would see).
        var table = RunOk($"Get-SmtpOAuthToken -Decode -Token '{token}'", render: true).HostText;
        var decoded = RunOk($"Get-SmtpOAuthToken -Decode -Token '{token}'");

        Assert.Contains("SMTP.SendAsApp", table);
        var everything = decoded.EverythingVisible();
        Assert.Contains("https://outlook.office365.com", everything);
        Assert.Contains("9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a", everything);
        foreach (var text in new[] { table, everything })
        {
            Assert.DoesNotContain(token.Split('.')[1], text);
            Assert.DoesNotContain(token.Split('.')[2], text);
        }
    }

    [Fact]
    public void Every_parameter_that_names_a_profile_completes_on_Tab()
    {
        RunOk($$"""
            foreach ($name in 'Scanner', 'Erp') {
                New-SmtpOAuthProfile -Name $name -TenantId contoso.onmicrosoft.com -ClientId {{ClientId}} -DeviceCode -Mailbox "$($name.ToLower())@contoso.com" | Out-Null
            }
            """);

        // -Profile on every cmdlet, and -Name on the profile cmdlets that take an existing profile.
        var lines = RunOk("""
            foreach ($command in Get-Command -Module OAuthSmtp) {
                foreach ($name in $command.Parameters.Keys) {
                    # Add-SmtpOAuthRelayClient -Profile completes from the relay's own profile store (RelayCommandTests).
                    if (($name -eq 'Profile' -and $command.Noun -ne 'SmtpOAuthRelayClient') -or ($name -eq 'Name' -and $command.Noun -eq 'SmtpOAuthProfile' -and $command.Verb -ne 'New')) {
                        "$($command.Name) -$name "
                    }
                }
            }
            """).Output.Select(o => o.ToString()).ToList();

        Assert.Contains("Send-SmtpOAuthMessage -Profile ", lines);
        Assert.Contains("Get-SmtpOAuthToken -Profile ", lines);
        foreach (var line in lines)
        {
            Assert.Equal(new[] { "Scanner" }, Complete(line + "Sc"));
            Assert.Equal(new[] { "Erp", "Scanner" }, Complete(line));
        }
    }

    [Fact]
    public void The_mailbox_completer_offers_the_profile_mailbox()
    {
        RunOk($$"""
            New-SmtpOAuthProfile -Name Scanner -TenantId contoso.onmicrosoft.com -ClientId {{ClientId}} -DeviceCode -Mailbox scanner@contoso.com | Out-Null
            New-SmtpOAuthProfile -Name Shared -TenantId contoso.onmicrosoft.com -ClientId {{ClientId}} -DeviceCode -Mailbox sales@contoso.com | Out-Null
            Register-ArgumentCompleter -CommandName Send-SmtpOAuthMessage -ParameterName From -ScriptBlock {
                param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
                [OAuthSmtp.PowerShell.Completion.MailboxAddressCompleter]::new().CompleteArgument($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
            }
            """);

        Assert.Equal(new[] { "scanner@contoso.com" }, Complete("Send-SmtpOAuthMessage -Profile Scanner -To a@b.c -From "));
        Assert.Equal(new[] { "sales@contoso.com", "scanner@contoso.com" }, Complete("Send-SmtpOAuthMessage -To a@b.c -From s"));
        Assert.Equal(new[] { "sales@contoso.com" }, Complete("Send-SmtpOAuthMessage -To a@b.c -From sa"));
    }

    private string[] Complete(string line) =>
        RunOk($"(TabExpansion2 -inputScript '{line.Replace("'", "''")}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object CompletionText")
            .Output.Select(o => o.BaseObject.ToString()!).ToArray();

    private static string Jwt(Dictionary<string, object> claims)
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Encode("""{"alg":"RS256","typ":"JWT","kid":"test"}""");
        var payload = Encode(System.Text.Json.JsonSerializer.Serialize(claims));
        return $"{header}.{payload}.c2lnbmF0dXJlLW5vdC1jaGVja2VkLWJ5LWRlY29kZQ";
    }
}
