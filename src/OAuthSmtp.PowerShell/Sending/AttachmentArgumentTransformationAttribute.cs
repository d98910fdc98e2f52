using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace OAuthSmtp.PowerShell.Sending;

/// <summary>
/// -Attachments takes pipeline input by value, as Send-MailMessage's does, so piped paths and files attach. Without
/// this check PowerShell would also coerce a piped record (an Import-Csv row) to its text and attach "@{To=...}".
/// Only strings and file objects are paths. Anything else becomes <see cref="NotAPath"/>, which the cmdlet drops:
/// throwing here would fail the binding of the whole record, and a record binds by property name already.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class AttachmentArgumentTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is null || value is string || value is string[])
        {
            return inputData;
        }

        if (value is FileSystemInfo file)
        {
            return file.FullName;
        }

        if (value is IEnumerable items && value is not IDictionary)
        {
            var paths = new List<string>();
            foreach (var item in items)
            {
                var element = item is PSObject inner ? inner.BaseObject : item;
                paths.Add(element switch
                {
                    string text => text,
                    FileSystemInfo info => info.FullName,
                    _ => NotAPath,
                });
            }

            return paths.ToArray();
        }

        return new[] { NotAPath };
    }

    /// <summary>Stands for a pipeline object that is not a path; no file can have this name.</summary>
    public const string NotAPath = "\0OAuthSmtp:pipeline-object-is-not-a-path";
}
