/* The kernel's limit for the benchmark (tests/perf/bench.py): IPv4 /32 routes via a gateway, written with
 * nothing but a netlink socket, the way a tuned C program would.
 *
 *   raw_routes NETNS add|del|dump COUNT TABLE GATEWAY
 *
 * add/del: one request per route, pipelined in 32 KiB sends without NLM_F_ACK (the kernel answers only
 * failures), closed by an ACKed NLMSG_NOOP barrier. dump: one dump filtered by the kernel to TABLE
 * (NETLINK_GET_STRICT_CHK), counting the routes. Destinations are 10.a.b.c/32 for 1..COUNT, as bench.py
 * writes them. Prints "<seconds> <routes> <errors>" (seconds of the operation, the namespace entered).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

#define CHUNK 32768

struct request {
    struct nlmsghdr nh;
    struct rtmsg rt;
    struct rtattr table_attr;
    __u32 table;
    struct rtattr dst_attr;
    __u32 dst;
    struct rtattr gw_attr;
    __u32 gw;
};

static int sock;
static char buffer[1 << 16];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read what is queued (or, with barrier, up to the barrier's ACK); count failures. */
static long drain(__u32 barrier, int wait)
{
    long errors = 0;
    for (;;) {
        ssize_t size = recv(sock, buffer, sizeof(buffer), wait ? 0 : MSG_DONTWAIT);
        if (size < 0)
            return errors;
        for (struct nlmsghdr *nh = (struct nlmsghdr *)buffer; NLMSG_OK(nh, size); nh = NLMSG_NEXT(nh, size)) {
            if (nh->nlmsg_type != NLMSG_ERROR)
                continue;
            struct nlmsgerr *err = NLMSG_DATA(nh);
            if (nh->nlmsg_seq == barrier && barrier)
                return errors;
            if (err->error)
                errors++;
        }
    }
}

static long write_routes(int type, long count, __u32 table, __u32 gateway)
{
    static char chunk[CHUNK];
    size_t used = 0;
    long errors = 0;
    __u32 seq = 0;
    for (long i = 1; i <= count; i++) {
        struct request *r = (struct request *)(chunk + used);
        memset(r, 0, sizeof(*r));
        r->nh.nlmsg_len = sizeof(*r);
        r->nh.nlmsg_type = type;
        r->nh.nlmsg_flags = NLM_F_REQUEST | (type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0);
        r->nh.nlmsg_seq = ++seq;
        r->rt.rtm_family = AF_INET;
        r->rt.rtm_dst_len = 32;
        r->rt.rtm_table = RT_TABLE_UNSPEC;
        r->rt.rtm_protocol = type == RTM_NEWROUTE ? RTPROT_STATIC : 0;
        r->rt.rtm_scope = type == RTM_NEWROUTE ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE;
        r->rt.rtm_type = RTN_UNICAST;
        r->table_attr.rta_len = RTA_LENGTH(4);
        r->table_attr.rta_type = RTA_TABLE;
        r->table = table;
        r->dst_attr.rta_len = RTA_LENGTH(4);
        r->dst_attr.rta_type = RTA_DST;
        r->dst = htonl(10u << 24 | (__u32)i);
        r->gw_attr.rta_len = RTA_LENGTH(4);
        r->gw_attr.rta_type = RTA_GATEWAY;
        r->gw = gateway;
        used += sizeof(*r);
        if (used + sizeof(*r) > CHUNK || i == count) {
            if (send(sock, chunk, used, 0) < 0) {
                perror("send");
                exit(1);
            }
            used = 0;
            errors += drain(0, 0);
        }
    }
    struct nlmsghdr noop = {.nlmsg_len = sizeof(noop), .nlmsg_type = NLMSG_NOOP,
                            .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = ++seq};
    send(sock, &noop, sizeof(noop), 0);
    return errors + drain(seq, 1);
}

static long dump_table(__u32 table, long *errors)
{
    struct {
        struct nlmsghdr nh;
        struct rtmsg rt;
        struct rtattr table_attr;
        __u32 table;
    } req = {.nh = {.nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETROUTE,
                    .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1},
             .rt = {.rtm_family = AF_INET},
             .table_attr = {.rta_len = RTA_LENGTH(4), .rta_type = RTA_TABLE}, .table = table};
    long routes = 0;
    send(sock, &req, sizeof(req), 0);
    for (;;) {
        ssize_t size = recv(sock, buffer, sizeof(buffer), 0);
        if (size < 0) {
            perror("recv");
            exit(1);
        }
        for (struct nlmsghdr *nh = (struct nlmsghdr *)buffer; NLMSG_OK(nh, size); nh = NLMSG_NEXT(nh, size)) {
            if (nh->nlmsg_type == NLMSG_DONE)
                return routes;
            if (nh->nlmsg_type == NLMSG_ERROR) {
                (*errors)++;
                return routes;
            }
            struct rtmsg *rt = NLMSG_DATA(nh);
            int len = RTM_PAYLOAD(nh);
            __u32 in_table = rt->rtm_table;
            for (struct rtattr *a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len))
                if (a->rta_type == RTA_TABLE)
                    in_table = *(__u32 *)RTA_DATA(a);
            routes += in_table == table;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s NETNS add|del|dump COUNT TABLE GATEWAY\n", argv[0]);
        return 2;
    }
    char path[256];
    snprintf(path, sizeof(path), "/run/netns/%s", argv[1]);
    int ns = open(path, O_RDONLY);
    if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
        perror(path);
        return 1;
    }
    long count = atol(argv[3]);
    __u32 table = (__u32)atol(argv[4]), gateway;
    inet_pton(AF_INET, argv[5], &gateway);
    sock = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    int one = 1, big = 1 << 22;
    setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    setsockopt(sock, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
    setsockopt(sock, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
    struct sockaddr_nl local = {.nl_family = AF_NETLINK};
    bind(sock, (struct sockaddr *)&local, sizeof(local));
    long errors = 0, routes = count;
    double started = now();
    if (!strcmp(argv[2], "add"))
        errors = write_routes(RTM_NEWROUTE, count, table, gateway);
    else if (!strcmp(argv[2], "del"))
        errors = write_routes(RTM_DELROUTE, count, table, gateway);
    else
        routes = dump_table(table, &errors);
    printf("%.6f %ld %ld\n", now() - started, routes, errors);
    return 0;
}
