/*
 * Counting side of the fan-out benchmark. In C rather than Node because at 3,000 consumers it
 * receives 150,000 packets/s: a Node dgram socket spends ~11 us per packet (measured here), about
 * 1.6 of this machine's 2 cores, which would starve the workers being measured. recvmmsg over
 * costs a small fraction of that.
 *
 * It drains every socket, then sleeps 2 ms, instead of blocking in epoll_wait: on loopback the
 * kernel charges the wake-up of a sleeping receiver to the *sender's* system time, so a receiver
 * woken per packet would inflate the workers' measured CPU with cost a real network peer never
 * puts on the media node. Sockets have 4 MB buffers, far more than 2 ms of traffic.
 *
 * Usage: rtp-sink SOCKETS. Prints "ports P1 P2 ..." then answers lines on stdin:
 *   reset  -> clears counters, prints totals
 *   totals -> prints {"streams":..,"received":..,"expected":..,"lost":..,"bytes":..,"cpuMs":..}
 *   exit
 * Counts RTP/SRTP packets per SSRC (the header is in clear under SRTP); loss is taken from
 * sequence-number gaps. RTCP (payload types 200-206, muxed on the same port) is ignored.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define TABLE_SIZE 65536
#define BATCH 64
#define PACKET_MAX 2048

typedef struct {
  uint32_t ssrc;
  int used;
  uint64_t received;
  int64_t first;
  int64_t highest;
} stream_t;

static stream_t table[TABLE_SIZE];
static uint64_t total_bytes;

static stream_t *lookup(uint32_t ssrc) {
  uint32_t slot = (ssrc * 2654435761u) & (TABLE_SIZE - 1);
  while (table[slot].used && table[slot].ssrc != ssrc) slot = (slot + 1) & (TABLE_SIZE - 1);
  if (!table[slot].used) {
    table[slot].used = 1;
    table[slot].ssrc = ssrc;
    table[slot].received = 0;
    table[slot].first = -1;
  }
  return &table[slot];
}

static void count(const unsigned char *packet, size_t length) {
  if (length < 12) return;
  if (packet[1] >= 200 && packet[1] <= 206) return;
  total_bytes += length;
  uint32_t ssrc = ((uint32_t)packet[8] << 24) | ((uint32_t)packet[9] << 16) | ((uint32_t)packet[10] << 8) | packet[11];
  int64_t sequence = ((int64_t)packet[2] << 8) | packet[3];
  stream_t *stream = lookup(ssrc);
  if (stream->first < 0) {
    stream->first = sequence;
    stream->highest = sequence;
    stream->received = 1;
    return;
  }
  stream->received++;
  int64_t extended = (stream->highest & ~(int64_t)0xffff) | sequence;
  if (extended < stream->highest - 0x8000) extended += 0x10000;
  if (extended > stream->highest) stream->highest = extended;
}

static void print_totals(void) {
  uint64_t streams = 0, received = 0, expected = 0;
  for (int i = 0; i < TABLE_SIZE; i++) {
    if (!table[i].used) continue;
    streams++;
    received += table[i].received;
    expected += (uint64_t)(table[i].highest - table[i].first + 1);
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  double cpu_ms = usage.ru_utime.tv_sec * 1000.0 + usage.ru_utime.tv_usec / 1000.0 + usage.ru_stime.tv_sec * 1000.0 +
                  usage.ru_stime.tv_usec / 1000.0;
  printf("{\"streams\":%llu,\"received\":%llu,\"expected\":%llu,\"lost\":%llu,\"bytes\":%llu,\"cpuMs\":%.1f}\n",
         (unsigned long long)streams, (unsigned long long)received, (unsigned long long)expected,
         (unsigned long long)(expected > received ? expected - received : 0), (unsigned long long)total_bytes, cpu_ms);
  fflush(stdout);
}

int main(int argc, char **argv) {
  int socket_count = argc > 1 ? atoi(argv[1]) : 16;
  if (socket_count < 1 || socket_count > 1024) return 2;
  int *sockets = calloc((size_t)socket_count, sizeof(int));
  printf("ports");
  for (int i = 0; i < socket_count; i++) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int buffer = 4 * 1024 * 1024;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer) != 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0};
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) return 3;
    socklen_t length = sizeof address;
    getsockname(fd, (struct sockaddr *)&address, &length);
    printf(" %d", ntohs(address.sin_port));
    sockets[i] = fd;
  }
  printf("\n");
  fflush(stdout);

  static unsigned char buffers[BATCH][PACKET_MAX];
  struct mmsghdr messages[BATCH];
  struct iovec vectors[BATCH];
  char line[64];
  struct pollfd input = {.fd = STDIN_FILENO, .events = POLLIN};
  const struct timespec pause = {.tv_sec = 0, .tv_nsec = 2 * 1000 * 1000};
  for (;;) {
    for (int i = 0; i < socket_count; i++) {
      for (;;) {
        for (int j = 0; j < BATCH; j++) {
          vectors[j].iov_base = buffers[j];
          vectors[j].iov_len = PACKET_MAX;
          memset(&messages[j].msg_hdr, 0, sizeof messages[j].msg_hdr);
          messages[j].msg_hdr.msg_iov = &vectors[j];
          messages[j].msg_hdr.msg_iovlen = 1;
        }
        int got = recvmmsg(sockets[i], messages, BATCH, MSG_DONTWAIT, NULL);
        if (got <= 0) break;
        for (int j = 0; j < got; j++) count(buffers[j], messages[j].msg_len);
      }
    }
    if (poll(&input, 1, 0) > 0) {
      if (!fgets(line, sizeof line, stdin) || strncmp(line, "exit", 4) == 0) return 0;
      if (strncmp(line, "reset", 5) == 0) {
        memset(table, 0, sizeof table);
        total_bytes = 0;
      }
      print_totals();
    }
    nanosleep(&pause, NULL);
  }
}
