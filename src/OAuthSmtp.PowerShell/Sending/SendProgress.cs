using System.Globalization;
using System.Management.Automation;

namespace OAuthSmtp.PowerShell.Sending;

/// <summary>
/// Progress of a send pipeline: one record per message, with "n of total" and a percentage when the total is known
/// (an array given to -To/-Message, or a bound array), a running count otherwise, and a Completed record at the end.
/// </summary>
internal sealed class SendProgress
{
    private const int ActivityId = 4711;
    private const string Activity = "Send-SmtpOAuthMessage";
    private int _count;
    private bool _started;

    public int? Total { get; set; }

    public ProgressRecord Next(string subject, int sent, int failed)
    {
        _count++;
        _started = true;
        var status = Total is { } total && total >= _count
            ? string.Format(CultureInfo.InvariantCulture, "Message {0} of {1}: {2}", _count, total, subject)
            : string.Format(CultureInfo.InvariantCulture, "Message {0}: {1}", _count, subject);
        var record = new ProgressRecord(ActivityId, Activity, status)
        {
            CurrentOperation = string.Format(CultureInfo.InvariantCulture, "{0} sent, {1} not sent", sent, failed),
        };
        if (Total is { } known && known >= _count && known > 0)
        {
            record.PercentComplete = (int)(100L * (_count - 1) / known);
        }

        return record;
    }

    public ProgressRecord? Completed(int sent, int failed)
    {
        if (!_started)
        {
            return null;
        }

        return new ProgressRecord(ActivityId, Activity, string.Format(CultureInfo.InvariantCulture, "{0} sent, {1} not sent", sent, failed))
        {
            RecordType = ProgressRecordType.Completed,
        };
    }
}
