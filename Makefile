# cmbench - see README.md. `make` builds ./cmbench; `make test` runs the
# tests; `make bench` runs the benchmark. Both install what is missing first.

CC      ?= cc
UV_CFLAGS := $(shell pkg-config --cflags libuv 2>/dev/null)
UV_LIBS   := $(shell pkg-config --libs libuv 2>/dev/null || echo -luv)
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null)
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
XML_LIBS  := $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)
GIT_REV   := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
GIT_DIRTY := $(shell git diff --quiet HEAD 2>/dev/null && echo 0 || echo 1)
CFLAGS  ?= -O2 -g
WFLAGS  := -std=gnu11 -Wall -Wextra -pthread
ALL_CFLAGS = $(CFLAGS) $(WFLAGS) $(UV_CFLAGS) $(PQ_CFLAGS) $(XML_CFLAGS) \
           -DCMB_GIT_REV='"$(GIT_REV)"' -DCMB_GIT_DIRTY=$(GIT_DIRTY) \
           -DCMB_CFLAGS='"$(strip $(CFLAGS) $(WFLAGS))"'
LDLIBS  += $(UV_LIBS) $(XML_LIBS) -ljansson -lsqlite3 -lpq -luring -lgsl -lgslcblas -lz -pthread -lm
B       ?= build

# Every subsystem is a folder (a floor, see ARCHITECTURE.md); every .c in it
# is part of the one binary. cmd/main.c, the top, holds main().
SRC_DIRS := lib server workloads models models/servers harness harness/spec harness/set harness/sweep \
            harness/ceiling plots plots/verdicts plots/data plots/findings plots/report claims cmd
LIB_SRC := $(filter-out cmd/main.c,$(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
HDRS    := $(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.h))
# the unit binaries are the unit lines of tests/TESTS, the one table of
# tests (tests/run.sh reads it; docs/testing.md)
UNIT_NAMES := $(shell awk '!/^\#/ && $$2 == "unit" { print $$1 }' tests/TESTS)
UNIT_BIN := $(UNIT_NAMES:%=$(B)/tests/%)

.PHONY: ceiling claims all test test-slow bench bench-python plots clean deps deps-build deps-test deps-bench deps-peers asan check-sanitizers fuzz peers

# a fresh machine: the build dependencies first (installed as root,
# otherwise the one apt-get line is printed and make stops)
all: deps-build
	$(MAKE) --no-print-directory cmbench

cmbench: $(B)/cmbench
	cp $< $@

$(B)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The build's git revision is compiled into main.o and meta.o (it goes into
# every result set's meta.json): rebuild them whenever it changes.
REV_STAMP := $(B)/gitrev.stamp
REV_NOW   := $(GIT_REV) $(GIT_DIRTY) $(CFLAGS)
$(shell mkdir -p $(B); [ "$$(cat $(REV_STAMP) 2>/dev/null)" = "$(REV_NOW)" ] || echo "$(REV_NOW)" > $(REV_STAMP))
$(B)/cmd/main.o $(B)/harness/set/meta.o: $(REV_STAMP)

# rebuilt whole: ar would keep the objects of files that are gone
$(B)/libcmb.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/cmbench: $(B)/cmd/main.o $(B)/libcmb.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libcmb.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I. -o $@ $< $(B)/libcmb.a $(LDLIBS) -lcmocka

# the fixture build (tests/it/fixture.sh): the same objects, with the four
# registries compiled again with -DCMB_FIXTURES, which adds the model, the
# workload, the chart and the finding of tests/fixtures/src/ to the tables
FIX_SRC := models/registry.c workloads/registry.c plots/data/registry.c \
           plots/findings/registry.c $(wildcard tests/fixtures/src/*.c)
FIX_OBJ := $(FIX_SRC:%.c=$(B)/fix/%.o)
$(B)/fix/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DCMB_FIXTURES -c $< -o $@
$(B)/cmbench-fixtures: $(B)/cmd/main.o $(FIX_OBJ) $(B)/libcmb.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# deps: install what a fresh Debian 12 machine lacks (apt-get as root,
# otherwise print the exact command).
deps deps-build:
	@tools/deps.sh build
deps-test:
	@tools/deps.sh test
deps-bench:
	@tools/deps.sh bench
deps-peers:
	@tools/deps.sh peers

# the tests of tests/TESTS marked fast; each unit case in a child of its own
test: deps-test
	$(MAKE) --no-print-directory cmbench $(UNIT_BIN) $(B)/cmbench-fixtures
	@TESTS=fast UNIT_DIR=$(B)/tests tests/run.sh

# the tests marked slow in tests/TESTS (minutes each); CI runs them after make test
test-slow: deps-test
	$(MAKE) --no-print-directory cmbench $(UNIT_BIN) $(B)/cmbench-fixtures
	@TESTS=slow UNIT_DIR=$(B)/tests tests/run.sh

# the sanitizer build: the same tests against an ASan/UBSan binary
asan: deps-test
	$(MAKE) --no-print-directory B=build-asan CFLAGS="$(SAN_ASAN)" \
		build-asan/cmbench $(UNIT_BIN:$(B)/%=build-asan/%)
	@CMBENCH=build-asan/cmbench UNIT_DIR=build-asan/tests tests/run.sh

# ASan+UBSan and TSan builds, each model x workload once at small sizes
SAN_ASAN := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_TSAN := -O1 -g -fsanitize=thread
check-sanitizers: deps-test
	$(MAKE) --no-print-directory B=build-asan CFLAGS="$(SAN_ASAN)" build-asan/cmbench
	$(MAKE) --no-print-directory B=build-tsan CFLAGS="$(SAN_TSAN)" build-tsan/cmbench
	@tests/sanitizers.sh build-asan/cmbench build-tsan/cmbench

# the two libFuzzer harnesses, FUZZ_SECONDS each
FUZZ_SECONDS ?= 30
fuzz: deps-test
	tests/fuzz/run_client.sh $(FUZZ_SECONDS)
	@[ ! -x tests/fuzz/run_server.sh ] || tests/fuzz/run_server.sh $(FUZZ_SECONDS)

bench: deps-bench
	$(MAKE) --no-print-directory cmbench
	@QUICK="$(QUICK)" HOSTS="$(HOSTS)" MEM_BUDGET="$(MEM_BUDGET)" tools/bench.sh

# the seed article's Python stack (issue 20): sweeps/python into its own
# result set, with its charts and REPORT.md
bench-python: deps-bench
	$(MAKE) --no-print-directory cmbench
	@SPEC=python tools/bench.sh

# cmbench side by side with the best peer of each kind (nginx, wrk, OpenMP):
# results/peers-*/peers.md
peers: deps-peers
	$(MAKE) --no-print-directory cmbench
	@tools/peers.sh

# the article's claims measured (about 3 minutes) into a result set's claims/
# (results/latest by default), then its REPORT.md again, which carries them
claims: deps-bench
	$(MAKE) --no-print-directory cmbench
	./cmbench claims -o $(or $(RESULTS),results/latest)/claims
	./cmbench plots $(or $(RESULTS),results/latest)

# how many tasks each model holds at once, to the memory budget (MEM_BUDGET,
# default half the machine's memory): every C model that holds more than one
# task and four Python ones on io and timer, from C = CEILING_FROM up to
# CEILING_CAP (the event loop's million timers), into a result set
# (results/latest by default), then its REPORT.md and charts again
# (docs/ceiling.md; tools/measure/ceiling.sh writes the table)
CEILING_MODELS ?= eventloop,eventloop-offload,eventloop-prefork,threadpool,thread-per-task,forkpool,process-per-task,py-asyncio,py-uvloop,py-threads,py-processes
CEILING_CAP ?= 1000000
CEILING_FROM ?= 1024
ceiling: deps-bench
	$(MAKE) --no-print-directory cmbench
	@[ -d "$(or $(RESULTS),results/latest)" ] || { echo "make ceiling: no result set $(or $(RESULTS),results/latest); run make bench first or give RESULTS=DIR" >&2; exit 2; }
	./cmbench ceiling -o $(or $(RESULTS),results/latest) --models $(CEILING_MODELS) \
		--workloads io,timer --from $(CEILING_FROM) --cap $(CEILING_CAP) \
		$(if $(MEM_BUDGET),--mem-budget $(MEM_BUDGET)); \
		rc=$$?; ./cmbench plots $(or $(RESULTS),results/latest) && exit $$rc

# the charts, decision matrix and report of one result set (results/latest by default)
plots: cmbench
	./cmbench plots $(or $(RESULTS),results/latest)
	./cmbench report $(or $(RESULTS),results/latest)

clean:
	rm -rf build build-asan build-tsan build-fuzz cmbench
