using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// Add-SmtpOAuthRelayClient: lets a device send through the relay. Generates its password, returns it once (a
/// SecureString unless -AsPlainText) and stores only a verifier. Device settings bind by property name, so a CSV of
/// devices can be piped in; where the relay lives (-Path) comes from the command line only.
/// </summary>
[Cmdlet(VerbsCommon.Add, "SmtpOAuthRelayClient", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Add-SmtpOAuthRelayClient.md")]
[OutputType("OAuthSmtp.RelayClientCredential")]
public sealed class AddSmtpOAuthRelayClientCommand : OAuthSmtpCmdlet
{
    public const string OutputTypeName = "OAuthSmtp.RelayClientCredential";

    #region Parameters

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RelayProfileNameCompleter))]
    public string Profile { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Mailbox { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? UserName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public string[] AllowedSource { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public string[] AllowedSender { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public string[] AllowedRecipientDomain { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter RewriteFrom { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public long MaxMessageSize { get; set; }

    /// <summary>A device that sends without AUTH, known only by -AllowedSource.</summary>
    [Parameter]
    public SwitchParameter NoCredential { get; set; }

    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    #endregion

    protected override void ProcessRecord()
    {
        var request = new RelayClientRequest
        {
            Name = Name,
            UserName = UserName,
            NoCredential = NoCredential,
            AllowedSources = Split(AllowedSource),
            AllowedSenders = Split(AllowedSender),
            AllowedRecipientDomains = Split(AllowedRecipientDomain),
            Profile = Profile,
            Mailbox = Mailbox,
            RewriteFrom = RewriteFrom,
            MaxMessageBytes = MyInvocation.BoundParameters.ContainsKey(nameof(MaxMessageSize)) ? MaxMessageSize : null,
        };

        try
        {
            var store = new RelayConfigurationStore(Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path));
            var registry = new RelayClientRegistry(store);
            var device = registry.Prepare(request);
            if (!ShouldProcess($"{device.Name} (sends as {device.Mailbox} through profile '{device.Profile}', {(NoCredential ? "no AUTH, from " + string.Join(", ", device.AllowedSources) : "user name " + device.UserName)})", "Add relay device"))
            {
                return;
            }

            var added = registry.Add(request);
            var configuration = store.Load();
            var result = new PSObject();
            result.TypeNames.Insert(0, OutputTypeName);
            result.Properties.Add(new PSNoteProperty("Name", added.Client.Name));
            result.Properties.Add(new PSNoteProperty("UserName", added.Password is null ? null : added.Client.UserName));
            result.Properties.Add(new PSNoteProperty("Password", added.Password is null ? null : AsPlainText ? added.Password : (object)ToSecureString(added.Password)));
            result.Properties.Add(new PSNoteProperty("Mailbox", added.Client.Mailbox));
            result.Properties.Add(new PSNoteProperty("Listeners", configuration.Listeners.Select(l => l.Endpoint).ToArray()));
            result.Properties.Add(new PSNoteProperty("StartTls", configuration.Tls.CertificateSource != RelayCertificateSource.None));
            result.Properties.Add(new PSNoteProperty("CertificateThumbprint", configuration.Tls.CertificateThumbprint));
            result.Properties.Add(new PSNoteProperty("Path", store.Home));
            WriteVerbose($"Added device '{added.Client.Name}' to {store.ConfigurationPath}; only a verifier of its password is stored, so note the password now: it cannot be shown again.");
            WriteObject(result);
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception, Name);
        }
    }

    /// <summary>A CSV cell "10.0.0.5; 10.0.0.6" binds as one string: split it as the user meant.</summary>
    private static string[] Split(string[] values) =>
        values.SelectMany(v => (v ?? string.Empty).Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries)).Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();

    private static SecureString ToSecureString(string value)
    {
        var secure = new SecureString();
        foreach (var c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
