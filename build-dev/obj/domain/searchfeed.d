build-dev/obj/domain/searchfeed.o: src/domain/searchfeed.c \
 src/domain/searchfeed.h src/search/index.h src/core/arena.h \
 src/domain/model.h src/text/analyze.h src/text/wordset.h \
 src/search/synonyms.h src/store/store.h src/core/rc.h src/core/log.h \
 src/core/util.h
src/domain/searchfeed.h:
src/search/index.h:
src/core/arena.h:
src/domain/model.h:
src/text/analyze.h:
src/text/wordset.h:
src/search/synonyms.h:
src/store/store.h:
src/core/rc.h:
src/core/log.h:
src/core/util.h:
