using System;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>
/// Mailbox states no emulated admin cmdlet sets: a full mailbox (554 5.2.2 at end of data), the Exchange licence
/// (Get-Mailbox SKUAssigned), MaxSendSize and the Restricted Users list (550 5.1.8). Each switch given as $false puts the mailbox back.
/// </summary>
[Cmdlet(VerbsCommon.Set, "EmuMailboxState", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class SetEmuMailboxStateCommand : PSCmdlet
{
    /// <summary>The mailbox (any identity form: address, alias, UPN).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Mailbox")]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    /// <summary>Sent Items filled the mailbox past its ProhibitSendReceive quota (StorageLimitStatus MailboxDisabled).</summary>
    [Parameter]
    public SwitchParameter SendQuotaExceeded { get; set; }

    /// <summary>Get-MailboxStatistics StorageLimitStatus, for the ProhibitSend variant of 554 5.2.2.</summary>
    [Parameter]
    [ValidateSet("BelowLimit", "IssueWarning", "ProhibitSend", "MailboxDisabled")]
    public string? StorageLimitStatus { get; set; }

    /// <summary>An Exchange licence is assigned (Get-Mailbox SKUAssigned); -Licensed:$false leaves a user mailbox unable to submit.</summary>
    [Parameter]
    public SwitchParameter Licensed { get; set; }

    /// <summary>The mailbox's MaxSendSize in bytes (Set-Mailbox -MaxSendSize); over it the end of data answers …MapiExceptionMaxSubmissionExceeded….</summary>
    [Parameter]
    [ValidateRange(1, 157_286_400)]
    public long MaxSendSize { get; set; }

    /// <summary>The mailbox is on the Restricted Users list (outbound spam).</summary>
    [Parameter]
    public SwitchParameter RestrictedSender { get; set; }

    protected override void ProcessRecord()
    {
        var emulator = EmulatorSession.Get(this);
        var model = emulator.Tenant;
        lock (model.SyncRoot)
        {
            var mailbox = TenantQueries.FindMailbox(model, Identity);
            if (mailbox is null)
            {
                WriteError(new ErrorRecord(
                    new ArgumentException($"The emulator's tenant has no mailbox '{Identity}'. Use an address from Get-EmuTenant (Mailbox) or Get-Mailbox."),
                    "MailboxNotFound", ErrorCategory.ObjectNotFound, Identity));
                return;
            }

            bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
            var status = Bound(nameof(StorageLimitStatus)) ? StorageLimitStatus!
                : Bound(nameof(SendQuotaExceeded)) ? (SendQuotaExceeded ? "MailboxDisabled" : "BelowLimit")
                : null;
            if (status is not null && ShouldProcess(mailbox.PrimarySmtpAddress, $"Set StorageLimitStatus to {status}"))
            {
                mailbox.StorageLimitStatus = status;
            }

            if (Bound(nameof(Licensed)) && ShouldProcess(mailbox.PrimarySmtpAddress, Licensed ? "Assign an Exchange licence" : "Remove the Exchange licence"))
            {
                TenantQueries.SetLicensed(emulator.Tenant, mailbox, Licensed);
            }

            if (Bound(nameof(MaxSendSize)) && ShouldProcess(mailbox.PrimarySmtpAddress, $"Set MaxSendSize to {MaxSendSize} bytes"))
            {
                mailbox.MaxSendSize = MaxSendSize;
            }

            if (Bound(nameof(RestrictedSender)) &&
                ShouldProcess(mailbox.PrimarySmtpAddress, (RestrictedSender ? "Add to" : "Remove from") + " the Restricted Users list"))
            {
                mailbox.IsRestrictedSender = RestrictedSender;
            }
        }
    }
}
