using System.Linq;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>Messages the SMTP server accepted (From, To, Subject, MessageId, Raw and the envelope), oldest first.</summary>
[Cmdlet(VerbsCommon.Get, "EmuDeliveredMessage")]
[OutputType(typeof(DeliveredMessage))]
public sealed class GetEmuDeliveredMessageCommand : PSCmdlet
{
    /// <summary>Only the last this-many messages.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Last { get; set; }

    /// <summary>Only messages whose Subject matches this wildcard pattern.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string? Subject { get; set; }

    protected override void ProcessRecord()
    {
        var messages = EmulatorSession.Get(this).Delivered.All.AsEnumerable();
        if (!string.IsNullOrEmpty(Subject))
        {
            var pattern = new WildcardPattern(Subject, WildcardOptions.IgnoreCase);
            messages = messages.Where(m => pattern.IsMatch(m.Subject));
        }

        var list = messages.ToList();
        if (Last > 0 && list.Count > Last)
        {
            list = list.Skip(list.Count - Last).ToList();
        }

        foreach (var message in list)
        {
            WriteObject(message);
        }
    }
}
