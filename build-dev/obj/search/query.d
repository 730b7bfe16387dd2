build-dev/obj/search/query.o: src/search/query.c src/core/buf.h \
 src/core/util.h src/search/index_int.h src/core/arena.h \
 src/search/index.h src/domain/model.h src/text/analyze.h \
 src/text/wordset.h src/search/synonyms.h
src/core/buf.h:
src/core/util.h:
src/search/index_int.h:
src/core/arena.h:
src/search/index.h:
src/domain/model.h:
src/text/analyze.h:
src/text/wordset.h:
src/search/synonyms.h:
