package io.flagman.proxy.runtime;

import io.flagman.config.model.StatsSocket.Level;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutorGroup;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One runtime socket connection, framed as HAProxy's CLI: each line's {@code ;}-separated commands run in order,
 * each answer followed by the trailer (an LF, so every answer ends in an empty line; in prompt mode the last one of
 * the line is {@code "\n> "}). Non-interactive (the default), only the first line runs and the connection closes;
 * {@code prompt} keeps it open. {@code quit} closes with no output. Runs on the CLI executor, not on an I/O loop.
 */
final class CliSession extends SimpleChannelInboundHandler<ByteBuf> {
    /** tune.bufsize: a longer line is refused. */
    static final int MAX_LINE = 16_384;
    static final String TOO_BIG = "The command line is too big for the buffer size. Please change tune.bufsize in"
            + " the configuration to use a bigger command.";

    private final CliContext context;
    private final AtomicInteger connections;
    private boolean done;

    private CliSession(CliContext context, AtomicInteger connections) {
        this.context = context;
        this.connections = connections;
    }

    static void install(Channel ch, EventExecutorGroup executor, CommandTable commands, Level level,
            CliSettings settings, AtomicInteger connections) {
        if (connections.incrementAndGet() > settings.maxconn()) {
            connections.decrementAndGet();
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> connections.decrementAndGet());
        ch.pipeline()
                .addLast(new IdleStateHandler(0, 0, settings.timeoutMillis(), TimeUnit.MILLISECONDS))
                .addLast(new LineBasedFrameDecoder(MAX_LINE, true, true))
                .addLast(executor, new CliSession(new CliContext(commands.servers(), commands, level), connections));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
        if (done) {
            return;
        }
        String line = msg.toString(StandardCharsets.UTF_8);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        StringBuilder out = new StringBuilder();
        boolean quit = answer(line, out);
        boolean close = quit || context.closeAfterLine();
        write(ctx, out, close);
    }

    /** Appends the answers of one line to {@code out}; true when a {@code quit} ended it. */
    private boolean answer(String line, StringBuilder out) {
        List<List<String>> commands = CliLine.commands(line);
        for (int i = 0; i < commands.size(); i++) {
            List<String> words = commands.get(i);
            Reply r;
            if (words.size() > CliLine.MAX_WORDS) {
                r = Reply.error(CliLine.TOO_MANY);
            } else {
                r = words.isEmpty() ? Reply.EMPTY : context.table().execute(context, words);
            }
            if (r instanceof Reply.Quit) {
                return true;
            }
            render(r, out);
            out.append(i == commands.size() - 1 ? prompt() : "\n");
        }
        return false;
    }

    private void render(Reply r, StringBuilder out) {
        switch (r) {
            case Reply.Empty e -> { }
            case Reply.Dump d -> out.append(d.text());
            case Reply.Message m -> {
                out.append(severity(m.severity()));
                String t = m.text();
                int end = t.length();
                while (end > 0 && t.charAt(end - 1) == '\n') {
                    end--;
                }
                out.append(t, 0, end).append('\n');
            }
            case Reply.Quit q -> throw new IllegalStateException("quit is handled by the caller");
        }
    }

    private String severity(int level) {
        return switch (context.severityOutput()) {
            case NONE -> "";
            case NUMBER -> "[" + level + "]: ";
            case STRING -> "[" + SEVERITIES[level] + "]: ";
        };
    }

    private static final String[] SEVERITIES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    /** The trailer after the last command of a line. */
    private String prompt() {
        return switch (context.mode()) {
            case NONE, SILENT -> "\n";
            case PROMPT -> "\n> ";
            case TIMED -> {
                long up = ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
                yield String.format("\n[%d:%02d:%02d:%02d]> ", up / 86400, (up / 3600) % 24, (up / 60) % 60, up % 60);
            }
        };
    }

    private void write(ChannelHandlerContext ctx, CharSequence out, boolean close) {
        ByteBuf buf = Unpooled.copiedBuffer(out, StandardCharsets.UTF_8);
        if (close) {
            done = true;
            ctx.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(buf);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // Idle for stats timeout, or the client shut its side: every line it sent was answered (events come in
        // order after the lines), so close, after what was written.
        if (evt instanceof IdleStateEvent || evt instanceof ChannelInputShutdownEvent) {
            done = true;
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            return;
        }
        if (cause instanceof TooLongFrameException) {
            write(ctx, TOO_BIG + "\n\n", true);
        } else {
            done = true;
            ctx.close();
        }
    }
}
