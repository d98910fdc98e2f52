using MailKit;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Notes when MailKit has written the whole message: a connection lost after that point may have delivered it,
/// so the message is reported as delivery unknown instead of being retried into a duplicate.
/// </summary>
internal sealed class DataProgress : ITransferProgress
{
    public bool DataComplete { get; private set; }

    public void Report(long bytesTransferred, long totalSize)
    {
        if (totalSize > 0 && bytesTransferred >= totalSize)
        {
            DataComplete = true;
        }
    }

    public void Report(long bytesTransferred)
    {
        // MailKit always knows the size when a progress object is passed (it measures first).
    }
}
