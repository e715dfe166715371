package io.sluice.linux;

/**
 * Names and texts of the errno values this code meets, so a failure reads
 * {@code setsockopt(SOL_PACKET, PACKET_RX_RING): Invalid argument (errno 22)} without calling
 * {@code strerror} (whose buffer is not ours and whose text follows the process locale).
 * The texts are glibc's; unknown values read "Unknown error N".
 */
public final class Errno
{
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ENOBUFS = 105;
    public static final int EHOSTUNREACH = 113;

    private static final int TABLE_SIZE = 134;
    private static final String[] NAMES = new String[TABLE_SIZE];
    private static final String[] TEXTS = new String[TABLE_SIZE];

    static
    {
        describe(1, "EPERM", "Operation not permitted");
        describe(2, "ENOENT", "No such file or directory");
        describe(3, "ESRCH", "No such process");
        describe(4, "EINTR", "Interrupted system call");
        describe(5, "EIO", "Input/output error");
        describe(6, "ENXIO", "No such device or address");
        describe(7, "E2BIG", "Argument list too long");
        describe(9, "EBADF", "Bad file descriptor");
        describe(11, "EAGAIN", "Resource temporarily unavailable");
        describe(12, "ENOMEM", "Cannot allocate memory");
        describe(13, "EACCES", "Permission denied");
        describe(14, "EFAULT", "Bad address");
        describe(16, "EBUSY", "Device or resource busy");
        describe(17, "EEXIST", "File exists");
        describe(19, "ENODEV", "No such device");
        describe(20, "ENOTDIR", "Not a directory");
        describe(21, "EISDIR", "Is a directory");
        describe(22, "EINVAL", "Invalid argument");
        describe(23, "ENFILE", "Too many open files in system");
        describe(24, "EMFILE", "Too many open files");
        describe(25, "ENOTTY", "Inappropriate ioctl for device");
        describe(28, "ENOSPC", "No space left on device");
        describe(30, "EROFS", "Read-only file system");
        describe(32, "EPIPE", "Broken pipe");
        describe(34, "ERANGE", "Numerical result out of range");
        describe(36, "ENAMETOOLONG", "File name too long");
        describe(38, "ENOSYS", "Function not implemented");
        describe(39, "ENOTEMPTY", "Directory not empty");
        describe(40, "ELOOP", "Too many levels of symbolic links");
        describe(61, "ENODATA", "No data available");
        describe(62, "ETIME", "Timer expired");
        describe(67, "ENOLINK", "Link has been severed");
        describe(71, "EPROTO", "Protocol error");
        describe(74, "EBADMSG", "Bad message");
        describe(75, "EOVERFLOW", "Value too large for defined data type");
        describe(88, "ENOTSOCK", "Socket operation on non-socket");
        describe(89, "EDESTADDRREQ", "Destination address required");
        describe(90, "EMSGSIZE", "Message too long");
        describe(91, "EPROTOTYPE", "Protocol wrong type for socket");
        describe(92, "ENOPROTOOPT", "Protocol not available");
        describe(93, "EPROTONOSUPPORT", "Protocol not supported");
        describe(95, "EOPNOTSUPP", "Operation not supported");
        describe(97, "EAFNOSUPPORT", "Address family not supported by protocol");
        describe(98, "EADDRINUSE", "Address already in use");
        describe(99, "EADDRNOTAVAIL", "Cannot assign requested address");
        describe(100, "ENETDOWN", "Network is down");
        describe(101, "ENETUNREACH", "Network is unreachable");
        describe(102, "ENETRESET", "Network dropped connection on reset");
        describe(103, "ECONNABORTED", "Software caused connection abort");
        describe(104, "ECONNRESET", "Connection reset by peer");
        describe(105, "ENOBUFS", "No buffer space available");
        describe(106, "EISCONN", "Transport endpoint is already connected");
        describe(107, "ENOTCONN", "Transport endpoint is not connected");
        describe(110, "ETIMEDOUT", "Connection timed out");
        describe(111, "ECONNREFUSED", "Connection refused");
        describe(112, "EHOSTDOWN", "Host is down");
        describe(113, "EHOSTUNREACH", "No route to host");
        describe(114, "EALREADY", "Operation already in progress");
        describe(115, "EINPROGRESS", "Operation now in progress");
        describe(125, "ECANCELED", "Operation canceled");
    }

    private Errno()
    {
    }

    /** @return the symbolic name, e.g. {@code "EINVAL"}, or {@code "errno N"} when not in the table. */
    public static String name(final int errno)
    {
        final String name = errno > 0 && errno < TABLE_SIZE ? NAMES[errno] : null;
        return name != null ? name : "errno " + errno;
    }

    /** @return glibc's text for the value, e.g. {@code "Invalid argument"}, or {@code "Unknown error N"}. */
    public static String text(final int errno)
    {
        final String text = errno > 0 && errno < TABLE_SIZE ? TEXTS[errno] : null;
        return text != null ? text : "Unknown error " + errno;
    }

    private static void describe(final int errno, final String name, final String text)
    {
        NAMES[errno] = name;
        TEXTS[errno] = text;
    }
}
