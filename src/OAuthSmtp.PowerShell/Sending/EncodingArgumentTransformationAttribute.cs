using System;
using System.Management.Automation;
using System.Text;

namespace OAuthSmtp.PowerShell.Sending;

/// <summary>
/// Lets -Encoding take the names Send-MailMessage takes (utf8, utf8NoBOM, utf8BOM, ascii, unicode, bigendianunicode,
/// utf32, latin1, oem), any .NET encoding name or code page number, or an Encoding object.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class EncodingArgumentTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case Encoding encoding:
                return encoding;
            case int codePage:
                return Encoding.GetEncoding(codePage);
            case string name:
                switch (name.Trim().ToLowerInvariant())
                {
                    case "utf8":
                    case "utf8nobom":
                    case "utf-8":
                        return new UTF8Encoding(false);
                    case "utf8bom":
                        return new UTF8Encoding(true);
                    case "ascii":
                        return Encoding.ASCII;
                    case "unicode":
                        return Encoding.Unicode;
                    case "bigendianunicode":
                        return Encoding.BigEndianUnicode;
                    case "utf32":
                        return Encoding.UTF32;
                    case "utf7":
                        return Encoding.UTF8;
                    case "latin1":
                        return Encoding.GetEncoding("iso-8859-1");
                    case "oem":
                    case "default":
                        return new UTF8Encoding(false);
                }

                try
                {
                    return int.TryParse(name, out var page) ? Encoding.GetEncoding(page) : Encoding.GetEncoding(name);
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentTransformationMetadataException($"'{name}' is not an encoding. Use utf8, ascii, unicode, latin1, or a code page number.", ex);
                }
        }

        return inputData;
    }
}
