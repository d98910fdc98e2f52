using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net.Mail;
using System.Security;
using System.Text;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.SendPlanning;
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
[Cmdlet(VerbsCommunications.Send, "SmtpOAuthMessage", SupportsShouldProcess = true, DefaultParameterSetName = FieldsParameterSet, HelpUri = HelpLinks.Base + "Send-SmtpOAuthMessage.md")]
[OutputType(typeof(SendResult))]
public sealed class SendSmtpOAuthMessageCommand : OAuthSmtpCmdlet, IDisposable
{
    private const string FieldsParameterSet = "Fields";
    private const string MessageParameterSet = "Message";
    private const string MessagePathParameterSet = "MessagePath";

    private readonly SendProgress _progress = new();
    private readonly List<string> _pipedAttachments = new();
    private HashSet<string> _commandLineParameters = new(StringComparer.OrdinalIgnoreCase);
    private ResolvedProfile? _profile;
    private SendConnectionPlan? _plan;
    private MessageSender? _sender;
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

    /// <summary>
    /// The SMTP host; default: the profile's (smtp.office365.com), then $PSEmailServer. Never from pipeline objects:
    /// connection settings come from the command line only, so a CSV column cannot send the token elsewhere.
    /// </summary>
    [Parameter(ParameterSetName = FieldsParameterSet, Position = 3)]
    [Parameter(ParameterSetName = MessageParameterSet)]
    [Parameter(ParameterSetName = MessagePathParameterSet)]
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
    [ArgumentCompleter(typeof(EncodingNameCompleter))]
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

    /// <summary>UserName: the sending mailbox (XOAUTH2 user); Password: an access token (a password is refused). Not from pipeline objects.</summary>
    [Parameter]
    [Credential]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    /// <summary>
    /// Accepted for Send-MailMessage compatibility; TLS (STARTTLS) is always used. Not from pipeline objects, like
    /// every connection setting; and an all-sets parameter bound by property name would also make PowerShell prefer
    /// the -MessagePath set for every piped object, so Import-Csv rows would no longer bind To, Subject, ...
    /// </summary>
    [Parameter]
    public SwitchParameter UseSsl { get; set; }

    /// <summary>The SMTP port; default: the profile's (587). Not from pipeline objects.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>The connection profile (New-SmtpOAuthProfile): tenant, app, credential, mailbox, server. Not from pipeline objects.</summary>
    [Parameter]
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

    /// <summary>
    /// .eml files to send as they are (as -FailedMessagePath saves them). Files piped without -To bind here, so
    /// Get-ChildItem Failed\*.eml | Send-SmtpOAuthMessage -Profile X resends them (with -To they are attachments).
    /// </summary>
    [Parameter(ParameterSetName = MessagePathParameterSet, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("SavedMessagePath", "FullName")]
    [ValidateNotNullOrEmpty]
    [MessageFileArgumentTransformation]
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

    /// <summary>Seconds before the first retry of a 4xx reply or lost connection, doubled for each further one and jittered (default 1; 0 retries at once).</summary>
    [Parameter]
    [ValidateRange(0, 600)]
    public int RetryIntervalSec { get; set; } = 1;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    #region Method overrides

    protected override void BeginProcessing()
    {
        // What the command line bound; whatever a pipeline object binds on top of it is that object's.
        _commandLineParameters = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        if (UseSsl)
        {
            WriteVerbose("-UseSsl has no effect: Send-SmtpOAuthMessage always uses TLS (STARTTLS, certificate validated).");
        }

        // Connection settings come from the command line only, so they are settled here, before any message: a bad
        // credential stops the call at once. Nothing connects here: -WhatIf must never open a connection.
        ResolveConnection();
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
        else if (PipelineRecordClassifier.Classify(ParameterSetName == FieldsParameterSet, BoundFromPipeline())
            == PipelineRecordRole.AttachmentOfCommandLineMessage)
        {
            // A file for the command line's one message: sent with the others at the end, as Send-MailMessage does.
            _pipedAttachments.AddRange(Attachments ?? Array.Empty<string>());
            return;
        }

        foreach (var (message, _) in PrepareMessages())
        {
            if (!Send(message))
            {
                return;
            }
        }
    }

    protected override void EndProcessing()
    {
        if (_pipedAttachments.Count > 0)
        {
            var request = BuildRequest(_pipedAttachments);
            Send(Try(() => MessageBuilder.Build(request, _plan!.Mailbox), request));
        }

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

    /// <summary>Sends one prepared message (null: it was refused and reported); false when the pipeline was stopped.</summary>
    private bool Send(PreparedMessage? message)
    {
        if (message is null)
        {
            return true;
        }

        var target = string.Join(", ", message.RecipientAddresses);
        if (!ShouldProcess(target, $"Send message '{message.Subject}' from {message.From}"))
        {
            return true;
        }

        var sender = GetSender();
        WriteProgress(_progress.Next(message.Subject, sender.Sent, sender.NotSent));
        var result = Streams.Run(sender.SendAsync(message, CancellationToken));
        if (CancellationToken.IsCancellationRequested)
        {
            // First, while the host still listens: every Write* below throws once the pipeline is stopping.
            WriteStopSummary(sender);
            Report(result, sender);
            return false;
        }

        Report(result, sender);
        return result.Status != SendStatus.Cancelled;
    }

    /// <summary>The parameters the current pipeline object bound (PowerShell unbinds them before the next one).</summary>
    private IEnumerable<string> BoundFromPipeline() =>
        MyInvocation.BoundParameters.Keys.Where(name => !_commandLineParameters.Contains(name));

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
                    if (path == NotAPath.Text)
                    {
                        var refused = new OAuthSmtpException(
                            ErrorIds.InvalidMessageInput,
                            ErrorKind.InvalidArgument,
                            "A pipeline object was neither a message file nor a message described by To, Subject and Body.",
                            "Pipe .eml files (Get-ChildItem *.eml), or objects with a To property, or give -To.");
                        WriteEngineError(refused, path);
                        continue;
                    }

                    var resolved = ResolvePath(path);
                    yield return (Try(() => MessageSource.FromFile(resolved), path), path);
                }

                break;
            default:
                var request = BuildRequest(Attachments ?? Array.Empty<string>());
                yield return (Try(() => MessageBuilder.Build(request, _plan!.Mailbox), request), request);
                break;
        }
    }

    private PreparedMessage? Try(Func<PreparedMessage> build, object input)
    {
        try
        {
            return build();
        }
        catch (OAuthSmtpException exception) when (SendErrorScope.ConcernsOneMessage(exception))
        {
            WriteEngineError(exception, input);
            return null;
        }
        catch (OAuthSmtpException exception)
        {
            ThrowEngineError(exception, input);
            return null;
        }
    }

    private MessageRequest BuildRequest(IEnumerable<string> attachments)
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
            Attachments = ExpandAttachments(attachments),
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

    /// <summary>Files the -Attachments values name: ';'-separated lists and wildcards expanded (AttachmentPathList).</summary>
    private List<string> ExpandAttachments(IEnumerable<string> values) =>
        AttachmentPathList.Expand(
                values.Where(value => value != NotAPath.Text),
                value => System.IO.File.Exists(ResolvePath(value)),
                ResolveWildcard)
            .Select(ResolvePath)
            .ToList();

    private IEnumerable<string> ResolveWildcard(string pattern)
    {
        try
        {
            return SessionState.Path.GetResolvedProviderPathFromPSPath(pattern, out var provider)
                .Where(path => provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider) && System.IO.File.Exists(path))
                .ToList();
        }
        catch (Exception ex) when (ex is ItemNotFoundException || ex is DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is PSArgumentException || ex is ArgumentException)
        {
            return Array.Empty<string>();
        }
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

    private void ResolveConnection()
    {
        try
        {
            _profile = Profile is null ? null : ProfileResolver.Resolve(this, Profile);
            _plan = SendConnectionPlanner.Plan(new SendConnectionRequest
            {
                SmtpServer = SmtpServer,
                Port = Port,
                Profile = _profile?.Profile,
                PSEmailServer = PSEmailServer(),
                AccessToken = TokenText.Plain(AccessToken),
                CredentialUserName = Credential?.UserName,
                CredentialPassword = Credential?.GetNetworkCredential().Password,
                From = From,
            });
        }
        catch (OAuthSmtpException exception)
        {
            ThrowEngineError(exception, exception.TargetObject ?? Profile);
        }
    }

    private IAccessTokenSource CreateTokenSource()
    {
        if (_plan!.CallerToken is { } token)
        {
            return new StaticAccessTokenSource(token);
        }

        var request = ForThisSession(new TokenRequest(_profile!.Profile)
        {
            Secret = TokenText.Plain(_profile.Secret),
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
        });
        return TokenProvider.Shared.CreateSource(request);
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

        var settings = new SendSettings
        {
            ProtocolLogPath = ProtocolLogPath is null ? null : ResolvePath(ProtocolLogPath),
            ProtocolLogContent = ProtocolLogContent,
            FailedMessagePath = FailedMessagePath is null ? null : ResolvePath(FailedMessagePath),
            ThrottleLimit = ThrottleLimit,
            TimeoutSec = TimeoutSec,
            RetryIntervalSec = RetryIntervalSec,
        };
        try
        {
            _sender = new MessageSender(settings.ToSenderOptions(_plan!, CreateTokenSource()));
        }
        catch (OAuthSmtpException exception)
        {
            ThrowEngineError(exception, exception.TargetObject ?? ProtocolLogPath);
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
            WriteVerbose($"Connected to {_plan!.Host}:{_plan.Port} with STARTTLS as {_plan.Mailbox} (XOAUTH2).");
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
