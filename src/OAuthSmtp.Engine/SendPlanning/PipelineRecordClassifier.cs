using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Engine.SendPlanning;

/// <summary>
/// Tells a pipeline object that is a whole message apart from one that is only a file to attach. Send-MailMessage's
/// -Attachments takes pipeline input by value, and piping files to it with -To on the command line sends one message
/// with all of them; a row that brings its own To, Subject, Body, ... (Import-Csv) is one message per row here.
/// The rule: an object that bound nothing but -Attachments (a file, a path, a row with only an Attachments column)
/// is an attachment of the command line's message; anything else is a message.
/// </summary>
public static class PipelineRecordClassifier
{
    public const string AttachmentsParameter = "Attachments";

    /// <param name="fieldsParameterSet">True when the message is described by parameters (not -Message/-MessagePath).</param>
    /// <param name="boundFromPipeline">The parameters this object bound (not those of the command line).</param>
    public static PipelineRecordRole Classify(bool fieldsParameterSet, IEnumerable<string> boundFromPipeline)
    {
        var names = boundFromPipeline.ToList();
        return fieldsParameterSet
            && names.Count > 0
            && names.All(name => string.Equals(name, AttachmentsParameter, StringComparison.OrdinalIgnoreCase))
            ? PipelineRecordRole.AttachmentOfCommandLineMessage
            : PipelineRecordRole.Message;
    }
}
