using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace OAuthSmtp.PowerShell.Sending;

/// <summary>
/// -MessagePath takes files from the pipeline by value, so Get-ChildItem Failed\*.eml | Send-SmtpOAuthMessage
/// -Profile X resends them: a file becomes its full path and binds in PowerShell's first pass, before its PSPath could
/// bind to -Attachments (and ask for -To). Strings are paths. Anything else becomes <see cref="NotAPath"/> so that a
/// record with To, Subject, ... binds those by property name.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class MessageFileArgumentTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            null or string or string[] => inputData,
            FileInfo file => new[] { file.FullName },
            // -MessagePath $first, $second (or a.eml, b.eml) arrives as object[]: each element a path or a file.
            object[] items when items.Length > 0 && items.All(item => PathOf(item) is not null) => items.Select(item => PathOf(item)!).ToArray(),
            _ => NotAPath.For(),
        };
    }

    private static string? PathOf(object? item) =>
        (item is PSObject wrapped ? wrapped.BaseObject : item) switch
        {
            string path => path,
            FileInfo file => file.FullName,
            _ => null,
        };
}
