using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace OAuthSmtp.Hosting;

/// <summary>Everything a script produced, stream by stream.</summary>
public sealed record ScriptResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Debug,
    IReadOnlyList<InformationRecord> Information,
    IReadOnlyList<ProgressRecord> Progress,
    Exception? TerminatingError,
    string HostText)
{
    public bool HadTerminatingError => TerminatingError is not null;

    /// <summary>The terminating error's record, if the script ended with one.</summary>
    public ErrorRecord? TerminatingRecord => (TerminatingError as IContainsErrorRecord)?.ErrorRecord;

    /// <summary>Every error: non-terminating ones, then the terminating one.</summary>
    public IEnumerable<ErrorRecord> AllErrors =>
        TerminatingRecord is null ? Errors : Errors.Append(TerminatingRecord);

    public string ErrorText => string.Join(Environment.NewLine, AllErrors.Select(Describe));

    /// <summary>All text a user or a log could see: every stream, every error's full detail, the host's screen.</summary>
    public string EverythingVisible()
    {
        var text = new StringBuilder();
        foreach (var item in Output)
        {
            text.AppendLine(item?.ToString());
            foreach (var property in item?.Properties ?? Enumerable.Empty<PSPropertyInfo>())
            {
                try
                {
                    text.Append(property.Name).Append('=').AppendLine(property.Value?.ToString());
                }
                catch (Exception)
                {
                    // A property getter that throws shows nothing.
                }
            }
        }

        foreach (var record in AllErrors)
        {
            text.AppendLine(Describe(record));
        }

        foreach (var line in Warnings.Concat(Verbose).Concat(Debug))
        {
            text.AppendLine(line);
        }

        foreach (var info in Information)
        {
            text.AppendLine(info.MessageData?.ToString());
        }

        foreach (var progress in Progress)
        {
            text.AppendLine(progress.Activity + " " + progress.StatusDescription + " " + progress.CurrentOperation);
        }

        text.AppendLine(HostText);
        return text.ToString();
    }

    public static string Describe(ErrorRecord record)
    {
        var text = new StringBuilder();
        text.AppendLine(record.FullyQualifiedErrorId);
        text.AppendLine(record.ErrorDetails?.Message);
        text.AppendLine(record.ErrorDetails?.RecommendedAction);
        text.AppendLine(record.TargetObject?.ToString());
        text.AppendLine(record.CategoryInfo.ToString());
        for (var exception = record.Exception; exception is not null; exception = exception.InnerException)
        {
            text.AppendLine(exception.GetType().FullName + ": " + exception.Message);
        }

        return text.ToString();
    }
}
