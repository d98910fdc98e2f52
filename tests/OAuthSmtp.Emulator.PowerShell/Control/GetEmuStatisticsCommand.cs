using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>Counters since the last reset: token requests, SMTP connections, authentications, commands, replies, round trips.</summary>
[Cmdlet(VerbsCommon.Get, "EmuStatistics")]
[OutputType(typeof(PSObject))]
public sealed class GetEmuStatisticsCommand : PSCmdlet
{
    protected override void ProcessRecord()
    {
        var result = new PSObject();
        result.TypeNames.Insert(0, "OAuthSmtp.Emulator.Statistics");
        foreach (var counter in EmulatorSession.Get(this).Statistics.Snapshot())
        {
            result.Properties.Add(new PSNoteProperty(counter.Key, counter.Value));
        }

        WriteObject(result);
    }
}
