using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net.Mail;
using System.Security;
using System.Text;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Tokens;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Profiles;
using OAuthSmtp.PowerShell.Sending;
using OAuthSmtp.PowerShell.Tokens;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Sends e-mail through Exchange Online SMTP with OAuth2 (XOAUTH2): a drop-in successor of Send-MailMessage.</para>
/// <para type="description">
/// Takes every Send-MailMessage parameter with the same name, alias, position and meaning. One connection, one
/// STARTTLS and one authentication serve every message of a pipeline; 4xx replies and lost connections are retried
/// with backoff; every message ends as sent (-PassThru returns the server's reply) or as a non-terminating error whose
/// TargetObject is a result carrying the message, which -Message (or -MessagePath with -FailedMessagePath) sends again.
/// -UseSsl is accepted and has no effect: TLS is always on. -Credential carries the mailbox (UserName) and an access
/// token (Password); a password is never sent.
/// </para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "SmtpOAuthMessage", SupportsShouldProcess = true, DefaultParameterSetName = FieldsParameterSet)]
[OutputType(typeof(SendResult))]
public sealed class SendSmtpOAuthMessageCommand : OAuthSmtpCmdlet, IDisposable
{
    private const string FieldsParameterSet = "Fields";
    private const string MessageParameterSet = "Message";
    private const string MessagePathParameterSet = "MessagePath";

    private readonly SendProgress _progress = new();
    private MessageSender? _sender;
    private string? _defaultFrom;
    private bool _connectionResolved;
    private bool _connectedVerbose;

    #region Parameters

    /// <summary>Recipients (Send-MailMessage: To, position 0).</summary>
    [Parameter(ParameterSetName = FieldsParameterSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] To { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = FieldsParameterSet, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("sub")]
    public string? Subject { get; set; }

    [Parameter(ParameterSetName = FieldsParameterSet, Position = 2, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Body { get; set; }

    /// <summary>The SMTP host; default: the profile's (smtp.office365.com), then $PSEmailServer.</summary>
    [Parameter(ParameterSetName = FieldsParameterSet, Position = 3, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = MessageParameterSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = MessagePathParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("ComputerName")]
    [ValidateNotNullOrEmpty]
    public string? SmtpServer { get; set; }

    /// <summary>The From address; default: the profile's mailbox.</summary>
    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MailboxAddressCompleter))]
    public string? From { get; set; }

    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PsPath")]
    [ValidateNotNullOrEmpty]
    [AttachmentArgumentTransformation]
    public string[]? Attachments { get; set; }

    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Bcc { get; set; }

    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Cc { get; set; }

    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("BAH")]
    public SwitchParameter BodyAsHtml { get; set; }

    /// <summary>Body encoding; default UTF-8 (Send-MailMessage defaults to ASCII, which loses non-English text).</summary>
    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("BE")]
    [ValidateNotNullOrEmpty]
    [EncodingArgumentTransformation]
    public Encoding? Encoding { get; set; }

    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("DNO")]
    [ValidateNotNullOrEmpty]
    public DeliveryNotificationOptions DeliveryNotificationOption { get; set; }

    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public MailPriority Priority { get; set; }

    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    public string[]? ReplyTo { get; set; }

    /// <summary>UserName: the sending mailbox (XOAUTH2 user); Password: an access token. Never sent as a password.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Credential]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    /// <summary>Accepted for Send-MailMessage compatibility; TLS (STARTTLS) is always used.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter UseSsl { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>The connection profile (New-SmtpOAuthProfile): tenant, app, credential, mailbox, server.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    /// <summary>A token the caller already holds, used instead of the profile's credential.</summary>
    [Parameter]
    [ValidateNotNull]
    public SecureString? AccessToken { get; set; }

    /// <summary>A plain-text alternative sent alongside an HTML body.</summary>
    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    public string? TextBody { get; set; }

    /// <summary>Content-ID → path of images the HTML body shows as &lt;img src="cid:ID"&gt;.</summary>
    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    public Hashtable? InlineAttachments { get; set; }

    /// <summary>Extra headers, name → value (X-Ticket, List-Unsubscribe, ...).</summary>
    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    public Hashtable? Headers { get; set; }

    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Normal", "Low", "High")]
    public string? Importance { get; set; }

    [Parameter(ParameterSetName = FieldsParameterSet, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Normal", "Personal", "Private", "CompanyConfidential")]
    public string? Sensitivity { get; set; }

    /// <summary>Ready messages: results of an earlier send (they carry their message), or .eml paths.</summary>
    [Parameter(ParameterSetName = MessageParameterSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public object[] Message { get; set; } = Array.Empty<object>();

    /// <summary>.eml files to send as they are (as -FailedMessagePath saves them).</summary>
    [Parameter(ParameterSetName = MessagePathParameterSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("SavedMessagePath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] MessagePath { get; set; } = Array.Empty<string>();

    /// <summary>File the redacted SMTP dialogue is appended to (commands and replies, not the message content).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProtocolLogPath { get; set; }

    /// <summary>Also write the message content (headers, body, base64 attachments) to the protocol log.</summary>
    [Parameter]
    public SwitchParameter ProtocolLogContent { get; set; }

    /// <summary>Folder where messages that were not sent are saved as .eml.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FailedMessagePath { get; set; }

    /// <summary>At most this many messages a minute (0, the default: no pacing; Exchange delays beyond 30).</summary>
    [Parameter]
    [ValidateRange(0, 10000)]
    public int ThrottleLimit { get; set; }

    /// <summary>
    /// Seconds to wait for each reply of the server (and for a connection); a server that answers more slowly, or
    /// never, ends the attempt with an error. Default 100, as Send-MailMessage.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 100;

    /// <summary>Seconds before the first retry of a 4xx reply or lost connection, doubled for each further one (default 1; 0 retries at once).</summary>
    [Parameter]
    [ValidateRange(0, 600)]
    public int RetryIntervalSec { get; set; } = 1;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    #region Method overrides

    protected override void BeginProcessing()
    {
        // Nothing connects here: -WhatIf must never open a connection, and a pipeline that fails validation for
        // every message never needs one.
        if (UseSsl)
        {
            WriteVerbose("-UseSsl has no effect: Send-SmtpOAuthMessage always uses TLS (STARTTLS, certificate validated).");
        }
    }

    protected override void ProcessRecord()
    {
        if (!MyInvocation.ExpectingInput)
        {
            _progress.Total = ParameterSetName switch
            {
                MessageParameterSet => Message.Length,
                MessagePathParameterSet => MessagePath.Length,
                _ => 1,
            };
        }

        foreach (var (message, input) in PrepareMessages())
        {
            if (message is null)
            {
                continue;
            }

            var target = string.Join(", ", message.RecipientAddresses);
            if (!ShouldProcess(target, $"Send message '{message.Subject}' from {message.From}"))
            {
                continue;
            }

            var sender = GetSender();
            WriteProgress(_progress.Next(message.Subject, sender.Sent, sender.NotSent));
            var result = Streams.Run(sender.SendAsync(message, CancellationToken));
            if (CancellationToken.IsCancellationRequested)
            {
                // First, while the host still listens: every Write* below throws once the pipeline is stopping.
                WriteStopSummary(sender);
                Report(result, sender);
                return;
            }

            Report(result, sender);
        }
    }

    protected override void EndProcessing()
    {
        if (_sender is null)
        {
            return;
        }

        Streams.Run(_sender.CloseAsync(CancellationToken));
        WriteVerbose($"{_sender.Sent} sent, {_sender.NotSent} not sent over {_sender.Connections} connection(s) and {_sender.Authentications} authentication(s).");
        if (_progress.Completed(_sender.Sent, _sender.NotSent) is { } completed)
        {
            WriteProgress(completed);
        }
    }

    public void Dispose()
    {
        _sender?.Dispose();
        _sender = null;
    }

    #endregion

    private IEnumerable<(PreparedMessage? Message, object Input)> PrepareMessages()
    {
        switch (ParameterSetName)
        {
            case MessageParameterSet:
                foreach (var item in Message)
                {
                    var value = item is PSObject wrapped ? wrapped.BaseObject : item;
                    if (value is string path)
                    {
                        value = ResolvePath(path);
                    }

                    yield return (Try(() => MessageSource.FromObject(value), value), value);
                }

                break;
            case MessagePathParameterSet:
                foreach (var path in MessagePath)
                {
                    var resolved = ResolvePath(path);
                    yield return (Try(() => MessageSource.FromFile(resolved), path), path);
                }

                break;
            default:
                var request = BuildRequest();
                yield return (Try(() => MessageBuilder.Build(request, DefaultFrom()), request), request);
                break;
        }
    }

    private PreparedMessage? Try(Func<PreparedMessage> build, object input)
    {
        try
        {
            return build();
        }
        catch (OAuthSmtpException exception) when (IsInputError(exception))
        {
            WriteEngineError(exception, input);
            return null;
        }
        catch (OAuthSmtpException exception)
        {
            // Profile and store errors concern the whole call, not this message.
            ThrowEngineError(exception, input);
            return null;
        }
    }

    private static bool IsInputError(OAuthSmtpException exception) =>
        exception.ErrorId is ErrorIds.InvalidEmailAddress or ErrorIds.NoRecipients or ErrorIds.SenderRequired
            or ErrorIds.AttachmentNotFound or ErrorIds.AttachmentUnreadable or ErrorIds.HeaderInjection
            or ErrorIds.InvalidHeader or ErrorIds.InvalidMessageInput;

    private MessageRequest BuildRequest()
    {
        var request = new MessageRequest
        {
            From = From,
            To = To.ToList(),
            Cc = (Cc ?? Array.Empty<string>()).ToList(),
            Bcc = (Bcc ?? Array.Empty<string>()).ToList(),
            ReplyTo = (ReplyTo ?? Array.Empty<string>()).ToList(),
            Subject = Subject,
            Body = Body,
            BodyAsHtml = BodyAsHtml,
            TextBody = TextBody,
            Encoding = Encoding,
            Priority = Priority,
            DeliveryNotificationOption = DeliveryNotificationOption,
            Attachments = (Attachments ?? Array.Empty<string>())
                .Where(path => path != AttachmentArgumentTransformationAttribute.NotAPath)
                .Select(ResolvePath)
                .ToList(),
        };
        if (Importance is not null)
        {
            request.Importance = (MessageImportance)Enum.Parse(typeof(MessageImportance), Importance, ignoreCase: true);
        }

        if (Sensitivity is not null)
        {
            request.Sensitivity = (MessageSensitivity)Enum.Parse(typeof(MessageSensitivity), Sensitivity, ignoreCase: true);
        }

        foreach (DictionaryEntry entry in Headers ?? new Hashtable())
        {
            request.Headers[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty] =
                Convert.ToString(entry.Value is PSObject p ? p.BaseObject : entry.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }

        foreach (DictionaryEntry entry in InlineAttachments ?? new Hashtable())
        {
            var path = Convert.ToString(entry.Value is PSObject p ? p.BaseObject : entry.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            request.InlineAttachments[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty] = ResolvePath(path);
        }

        return request;
    }

    private string ResolvePath(string path)
    {
        try
        {
            return SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        }
        catch (Exception ex) when (ex is ItemNotFoundException || ex is DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is PSArgumentException)
        {
            return path;
        }
    }

    /// <summary>The profile's mailbox, or the credential's user name: From when -From is not given.</summary>
    private string? DefaultFrom()
    {
        ResolveConnection();
        return _defaultFrom;
    }

    private ResolvedProfile? _profile;
    private string? _host;
    private int _port;
    private string? _mailbox;
    private IAccessTokenSource? _tokens;

    private void ResolveConnection()
    {
        if (_connectionResolved)
        {
            return;
        }

        _connectionResolved = true;
        if (Profile is not null)
        {
            _profile = ProfileResolver.Resolve(this, Profile);
        }

        var profile = _profile?.Profile;
        _mailbox = profile?.Mailbox ?? (string.IsNullOrEmpty(Credential?.UserName) ? null : Credential!.UserName);
        _defaultFrom = _mailbox;
        _host = SmtpServer ?? profile?.SmtpServer ?? PSEmailServer() ?? Engine.Profiles.CloudEndpoints.Global.SmtpServer;
        _port = Port > 0 ? Port : profile?.Port ?? Engine.Profiles.CloudEndpoints.SmtpPort;

        if (AccessToken is not null)
        {
            _tokens = new StaticAccessTokenSource(TokenText.Plain(AccessToken) ?? string.Empty);
        }
        else if (Credential is not null && Credential.Password.Length > 0)
        {
            _tokens = new StaticAccessTokenSource(Credential.GetNetworkCredential().Password);
        }
        else if (_profile is not null)
        {
            var request = ForThisSession(new TokenRequest(_profile.Profile)
            {
                Secret = TokenText.Plain(_profile.Secret),
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
            });
            _tokens = TokenProvider.Shared.CreateSource(request);
        }
    }

    private string? PSEmailServer()
    {
        var value = SessionState.PSVariable.GetValue("PSEmailServer");
        var text = Convert.ToString(value is PSObject p ? p.BaseObject : value, System.Globalization.CultureInfo.InvariantCulture);
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    private MessageSender GetSender()
    {
        if (_sender is not null)
        {
            return _sender;
        }

        try
        {
            ResolveConnection();
        }
        catch (OAuthSmtpException exception)
        {
            ThrowEngineError(exception, Profile);
        }

        if (_tokens is null)
        {
            ThrowEngineError(new OAuthSmtpException(
                ErrorIds.SendCredentialMissing,
                ErrorKind.InvalidArgument,
                "Nothing says how to authenticate: give -Profile, -AccessToken, or -Credential (UserName: the mailbox, Password: an access token).",
                "Create a profile once (New-SmtpOAuthProfile) and add -Profile <name> to the command."));
        }

        var mailbox = _mailbox ?? From;
        if (string.IsNullOrEmpty(mailbox))
        {
            ThrowEngineError(new OAuthSmtpException(
                ErrorIds.SenderRequired,
                ErrorKind.InvalidArgument,
                "The mailbox to authenticate as is unknown: with -AccessToken and no profile, it is the -From address.",
                "Give -From (or -Credential with the mailbox as UserName, or -Profile)."));
        }

        var options = new SmtpSenderOptions(_host!, _port, mailbox!, _tokens!)
        {
            ProtocolLogPath = ProtocolLogPath is null ? null : ResolvePath(ProtocolLogPath),
            ProtocolLogContent = ProtocolLogContent,
            FailedMessagePath = FailedMessagePath is null ? null : ResolvePath(FailedMessagePath),
            MessagesPerMinute = ThrottleLimit,
            TimeoutMs = checked(TimeoutSec * 1000),
            RetryDelay = attempt => TimeSpan.FromSeconds(RetryIntervalSec * Math.Pow(2, attempt - 1)),
        };
        try
        {
            _sender = new MessageSender(options);
        }
        catch (OAuthSmtpException exception)
        {
            ThrowEngineError(exception, ProtocolLogPath);
        }

        return _sender!;
    }

    /// <summary>
    /// After Ctrl+C or Stop-Job the pipeline's streams are closed (every Write* throws), so the summary goes straight
    /// to the host: what was sent, what may have been, what was not, and where the files are.
    /// </summary>
    private void WriteStopSummary(MessageSender sender)
    {
        try
        {
            Host?.UI?.WriteWarningLine("Send-SmtpOAuthMessage was stopped: " + sender.Summary());
        }
        catch (Exception exception) when (exception is PipelineStoppedException || exception is System.Management.Automation.Host.HostException || exception is NotImplementedException)
        {
            // A host that cannot show it: the results and saved files still say it.
        }
    }

    private void Report(SendResult result, MessageSender sender)
    {
        if (!_connectedVerbose && sender.Connections > 0)
        {
            _connectedVerbose = true;
            WriteVerbose($"Connected to {_host}:{_port} with STARTTLS as {_mailbox ?? From} (XOAUTH2).");
        }

        if (result.Status == SendStatus.Sent)
        {
            WriteVerbose($"Sent '{result.Subject}' <{result.MessageId}> to {result.Recipients.Count} recipient(s): {result.ServerReply}");
        }
        else
        {
            var error = result.GetError() ?? new OAuthSmtpException(ErrorIds.UnexpectedError, ErrorKind.NotSpecified, "The message was not sent.", null, result);
            if (result.SavedMessagePath is not null)
            {
                WriteVerbose($"Saved the unsent message to {result.SavedMessagePath}.");
            }

            try
            {
                WriteEngineError(error, result);
            }
            catch (PipelineStoppedException)
            {
                return;
            }
        }

        if (PassThru)
        {
            WriteObject(result);
        }
    }
}
