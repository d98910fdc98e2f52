using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace OAuthSmtp.PowerShell.Sending;

/// <summary>
/// -Attachments takes pipeline input by value, as Send-MailMessage's does, so piped paths and files attach.
/// Strings pass as they are. A single file object also passes as it is: piped, it then binds by its PSPath (the
/// parameter's alias) only where -Attachments is the only choice (-To on the command line), and an .eml file piped
/// without -To goes to -MessagePath instead; given on the command line it converts to its full path. A collection
/// becomes its paths. Anything else becomes <see cref="NotAPath"/>, so an Import-Csv row binds its own Attachments
/// column by property name instead of being turned into the text "@{To=...}".
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class AttachmentArgumentTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is null || (value is string text && text.Trim().Length == 0))
        {
            // An empty Attachments cell of a CSV row names no file: nothing to attach, not a binding error.
            return NotAPath.Text;
        }

        if (value is string || value is string[] || value is FileSystemInfo)
        {
            return inputData;
        }

        if (value is IEnumerable items && value is not IDictionary)
        {
            var paths = items.Cast<object?>()
                .Select(item => item is PSObject inner ? inner.BaseObject : item)
                .Select(element => element switch
                {
                    string text => (object)text,
                    FileSystemInfo info => info.FullName,
                    _ => NotAPath.Instance,
                })
                .ToArray();
            return paths.All(path => path is string) ? paths.Cast<string>().ToArray() : paths;
        }

        return NotAPath.For();
    }
}
