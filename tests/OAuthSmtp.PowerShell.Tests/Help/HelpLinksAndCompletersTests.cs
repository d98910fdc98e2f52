using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Help;

/// <summary>
/// Issue 15 fix 7: Get-Help -Online has an address (each cmdlet's HelpUri and its help's first link: its page in the
/// repository), the manifest names where the help lives, -Encoding completes encodings and -CertificateThumbprint
/// the personal store's thumbprints, never file names.
/// </summary>
public sealed class HelpLinksAndCompletersTests : IClassFixture<ModuleSessionFixture>
{
    private const string OnlineBase = "https://github.com/oauthsmtp/OAuthSmtp/blob/main/docs/help/";
    private readonly PowerShellSession _session;

    public HelpLinksAndCompletersTests(ModuleSessionFixture fixture)
    {
        _session = fixture.Session;
    }

    [Fact]
    public void Every_cmdlet_has_an_online_help_address_that_is_its_page_in_the_repository()
    {
        var commands = Run("Get-Command -Module OAuthSmtp | ForEach-Object { $_.Name + '|' + $_.HelpUri }")
            .Select(line => line.Split('|')).ToList();
        var maml = XDocument.Load(Path.Combine(PowerShellSession.ModuleFolder, "en-US", "OAuthSmtp.PowerShell.dll-Help.xml"));
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace mamlNs = "http://schemas.microsoft.com/maml/2004/10";

        // Every exported cmdlet (the manifest's list, so each new cmdlet is checked without editing this test).
        var exported = Run("(Import-PowerShellDataFile (Join-Path (Get-Module OAuthSmtp).ModuleBase 'OAuthSmtp.psd1')).CmdletsToExport").Length;
        Assert.Equal(exported, commands.Count);
        Assert.True(commands.Count > 7, "too few cmdlets: " + commands.Count);
        foreach (var (name, helpUri) in commands.Select(c => (c[0], c[1])))
        {
            Assert.Equal(OnlineBase + name + ".md", helpUri);
            Assert.True(File.Exists(Path.Combine(PowerShellSession.RepositoryRoot, "docs", "help", name + ".md")), helpUri);

            // Get-Help -Online takes the help's first related link when it is an address: it must be the same page.
            var details = maml.Descendants(command + "command").Single(c => c.Element(command + "details")?.Element(command + "name")?.Value == name);
            var first = details.Element(command + "relatedLinks")!.Elements(mamlNs + "navigationLink").First();
            Assert.Equal("Online Version:", first.Element(mamlNs + "linkText")!.Value);
            Assert.Equal(helpUri, first.Element(mamlNs + "uri")!.Value);
        }

        var helpInfoUri = Run("(Get-Module OAuthSmtp).HelpInfoUri").Single();
        Assert.StartsWith("https://github.com/oauthsmtp/OAuthSmtp/", helpInfoUri, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_Help_shows_the_online_address_and_documents_GraphEndpoint()
    {
        var rendered = _session.Run("Get-Help Test-SmtpOAuthSetup -Full", render: true);
        Assert.Empty(rendered.AllErrors);
        var text = rendered.HostText;

        Assert.Contains(OnlineBase + "Test-SmtpOAuthSetup.md", text);
        Assert.Contains("-GraphEndpoint <Uri>", text);
        Assert.Contains("OAUTHSMTP_GRAPH_ENDPOINT", text);
    }

    [Fact]
    public void Encoding_completes_the_names_it_takes_and_each_one_binds()
    {
        var all = Complete("Send-SmtpOAuthMessage -To a@b.c -Subject s -Encoding ");
        Assert.Equal(new[] { "utf8", "utf8NoBOM", "utf8BOM", "ascii", "latin1", "unicode", "bigendianunicode", "utf32", "oem" }, all);
        Assert.Equal(new[] { "utf8", "utf8NoBOM", "utf8BOM", "unicode", "utf32" }, Complete("Send-SmtpOAuthMessage -Encoding u"));
        Assert.Equal(new[] { "latin1" }, Complete("Send-SmtpOAuthMessage -BE LAT"));
        InFolderWithFile("zz-notes.txt", () => Assert.Empty(Complete("Send-SmtpOAuthMessage -Encoding zz")));

        foreach (var name in all)
        {
            // Binding succeeds (no transformation error): what stops the command is the missing profile.
            var result = _session.Run($"Send-SmtpOAuthMessage -To a@b.c -Subject s -Body b -Encoding {name} -Profile NoSuchProfile");
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("ProfileNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CertificateThumbprint_completes_the_personal_store_thumbprints_not_file_names()
    {
        using var withKey = NewCertificate("CN=OAuthSmtp completion test");
        using var publicOnly = X509CertificateLoader.LoadCertificate(NewCertificate("CN=OAuthSmtp completion test without key").Export(X509ContentType.Cert));
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(withKey);
        store.Add(publicOnly);
        try
        {
            foreach (var line in new[] { "New-SmtpOAuthProfile -Name X -CertificateThumbprint ", "Set-SmtpOAuthProfile -Name X -CertificateThumbprint ", "Get-SmtpOAuthToken -TenantId t -ClientId c -CertificateThumbprint " })
            {
                var offered = Complete(line);
                Assert.Contains(withKey.Thumbprint, offered);
                Assert.DoesNotContain(publicOnly.Thumbprint, offered); // no private key: it could not sign a token request
                Assert.All(offered, o => Assert.Matches("^[0-9A-F]{40}$", o));
                Assert.Equal(new[] { withKey.Thumbprint }, Complete(line + withKey.Thumbprint.Substring(0, 12).ToLowerInvariant()));
            }

            // In a folder with a file that starts like the typed text: still no file name.
            InFolderWithFile("ZZZ-notes.txt", () => Assert.Empty(Complete("New-SmtpOAuthProfile -Name X -CertificateThumbprint ZZZ")));
        }
        finally
        {
            store.Remove(withKey);
            store.Remove(publicOnly);
        }
    }

    /// <summary>Runs <paramref name="check"/> with the session in a folder holding <paramref name="file"/>, where file-name completion would offer it.</summary>
    private void InFolderWithFile(string file, Action check)
    {
        var folder = Path.Combine(Path.GetTempPath(), "oauthsmtp-completion-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, file), "not a completion");
        var previous = Run("$ExecutionContext.SessionState.Path.CurrentLocation.Path").Single();
        Run($"$null = $ExecutionContext.SessionState.Path.SetLocation('{folder}')");
        try
        {
            check();
        }
        finally
        {
            Run($"$null = $ExecutionContext.SessionState.Path.SetLocation('{previous}')");
            Directory.Delete(folder, recursive: true);
        }
    }

    private string[] Complete(string line) =>
        Run($"(TabExpansion2 -inputScript '{line.Replace("'", "''")}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object CompletionText");

    private string[] Run(string script)
    {
        var result = _session.Run(script);
        Assert.False(result.HadTerminatingError, result.ErrorText);
        Assert.Empty(result.Errors);
        return result.Output.Select(o => o.BaseObject.ToString()!).ToArray();
    }

    private static X509Certificate2 NewCertificate(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx, "t"), "t", X509KeyStorageFlags.PersistKeySet | X509KeyStorageFlags.Exportable);
    }
}
