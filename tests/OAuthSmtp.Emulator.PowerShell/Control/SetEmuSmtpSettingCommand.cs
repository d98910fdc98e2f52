using System;
using System.Management.Automation;
using OAuthSmtp.Emulator.Smtp;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>
/// The SMTP server's settings where the real behaviour has several observed forms or undocumented numbers
/// (SmtpBehaviorSettings): which Send As text, which concurrency text, continuous error throttling, the BDAT
/// refusal of MailKit#904. Reset-EmuTenant and -Default put them back.
/// </summary>
[Cmdlet(VerbsCommon.Set, "EmuSmtpSetting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class SetEmuSmtpSettingCommand : PSCmdlet
{
    /// <summary>Which Send As refusal the end of data answers: Current (554 5.2.0 …SendAsDeniedException…), SendAsDenied (554 5.2.252 …), Legacy (550 5.7.60 …).</summary>
    [Parameter]
    public SendAsDeniedReplyForm SendAsDeniedReply { get; set; }

    /// <summary>The older concurrency text: 432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=…].</summary>
    [Parameter]
    public SwitchParameter LegacyConcurrencyText { get; set; }

    /// <summary>Messages a mailbox may have in submission at once (default 3).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int MaxConcurrentSubmissions { get; set; }

    /// <summary>Refusals of one kind in a row before the mailbox is throttled (550 5.2.25x); 0 turns throttling off.</summary>
    [Parameter]
    [ValidateRange(0, 1_000_000)]
    public int ContinuousErrorThreshold { get; set; }

    /// <summary>How long a throttled mailbox stays throttled (emulator clock).</summary>
    [Parameter]
    public TimeSpan ContinuousErrorLockout { get; set; }

    /// <summary>Answer 550 5.2.25x at the end of the data instead of at MAIL FROM.</summary>
    [Parameter]
    public SwitchParameter ContinuousErrorReplyAtEndOfData { get; set; }

    /// <summary>Refuse BDAT messages with attachments with 552 5.3.4 Header size exceeds fixed maximum size (MailKit#904).</summary>
    [Parameter]
    public SwitchParameter RefuseBdatWithAttachments { get; set; }

    /// <summary>Largest header block in bytes.</summary>
    [Parameter]
    [ValidateRange(1024, 16 * 1024 * 1024)]
    public int MaxHeaderBytes { get; set; }

    /// <summary>Messages a minute per mailbox before delivery is delayed (default 30).</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int MessagesPerMinute { get; set; }

    /// <summary>Put every SMTP setting back to its default first.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    protected override void ProcessRecord()
    {
        var settings = EmulatorSession.Get(this).Faults.SmtpSettings;
        bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
        if (!ShouldProcess("emulator", "Set SMTP settings"))
        {
            return;
        }

        if (Default) settings.Reset();
        if (Bound(nameof(SendAsDeniedReply))) settings.SendAsDeniedReply = SendAsDeniedReply;
        if (Bound(nameof(LegacyConcurrencyText))) settings.UseLegacyConcurrencyText = LegacyConcurrencyText;
        if (Bound(nameof(MaxConcurrentSubmissions))) settings.MaxConcurrentSubmissionsPerMailbox = MaxConcurrentSubmissions;
        if (Bound(nameof(ContinuousErrorThreshold))) settings.ContinuousErrorThreshold = ContinuousErrorThreshold;
        if (Bound(nameof(ContinuousErrorLockout))) settings.ContinuousErrorLockout = ContinuousErrorLockout < TimeSpan.Zero ? TimeSpan.Zero : ContinuousErrorLockout;
        if (Bound(nameof(ContinuousErrorReplyAtEndOfData))) settings.ContinuousErrorReplyAtEndOfData = ContinuousErrorReplyAtEndOfData;
        if (Bound(nameof(RefuseBdatWithAttachments))) settings.RefuseBdatWithAttachments = RefuseBdatWithAttachments;
        if (Bound(nameof(MaxHeaderBytes))) settings.MaxHeaderBytes = MaxHeaderBytes;
        if (Bound(nameof(MessagesPerMinute)))
        {
            settings.MessagesPerRateWindow = MessagesPerMinute;
            settings.MessageRateWindow = TimeSpan.FromMinutes(1);
        }
    }
}
